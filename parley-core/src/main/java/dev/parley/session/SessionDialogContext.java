package dev.parley.session;

import dev.parley.dialog.DialogContext;
import dev.parley.dialog.VoiceControls;
import dev.parley.failover.Failover;
import dev.parley.failover.ProviderEvents;
import dev.parley.failover.TurnBudget;
import dev.parley.failover.ProviderTiming;
import dev.parley.reply.Reply;

/** How the brain speaks up unprompted, changes the voice and reports its providers, through its session. */
final class SessionDialogContext implements DialogContext {
    private final VoiceSession session;
    private final VoiceControls voice;

    SessionDialogContext(VoiceSession session, VoiceControls voice) {
        this.session = session;
        this.voice = voice;
    }

    @Override
    public void say(String text) {
        session.announce(text);
    }

    @Override
    public VoiceControls voice() {
        return voice;
    }

    /** The brain's provider reports belong to the reply it is producing (between replies: to no turn). */
    @Override
    public ProviderEvents providers() {
        return new ProviderEvents() {
            @Override
            public void timing(ProviderTiming timing) {
                Reply r = session.producing;
                if (r != null) r.providers().timing(timing);
            }

            @Override
            public void failover(Failover failover) {
                Reply r = session.producing;
                if (r != null) r.providers().failover(failover);
                else session.emit(new SessionEvent.ProviderFailedOver(0, failover));
            }

            @Override
            public TurnBudget budget() {
                Reply r = session.producing;
                return r != null ? r.providers().budget() : TurnBudget.NONE;
            }
        };
    }
}
