package dev.parley.dialog.llama;

import java.io.IOException;

/** A GGUF header is inconsistent: the message says how, for "… is damaged: <message>". */
final class GgufDamaged extends IOException {
    GgufDamaged(String message) {
        super(message);
    }
}
