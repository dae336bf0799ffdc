package dev.parley.dialog.skills;

import java.util.Optional;

/**
 * Reads the turn after a question ("For how long?" → "five minutes"). It is offered the next turn, already
 * classified, before normal routing; it answers, or returns empty when the turn is not an answer (the user moved
 * on), and the turn is routed as usual. A follow-up is offered one turn only.
 */
@FunctionalInterface
public interface FollowUp {

    Optional<SkillReply> answer(SkillRequest next);
}
