package dev.parley.transport.realtime;

import dev.parley.dialog.Message;

/** A conversation item: its state, guarded by the {@link Conversation} that holds it. */
final class Item {
    final String id;
    final Message.Role role;
    /** The voice session's turn, or the key {@code addMessage} gave a typed message. */
    final int turn;
    String text;
    boolean typed;
    String status = "in_progress";
    Response response;
    /** User audio: its length in ms once known (negative: minus its start, while it lasts). */
    long audioMs;
    String sentPartial = "";

    Item(String id, Message.Role role, int turn) {
        this.id = id;
        this.role = role;
        this.turn = turn;
    }
}
