package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.VoiceControls;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;

import java.util.List;
import java.util.Set;

/**
 * "Louder", "quieter", "slower", "faster", through the session's {@link VoiceControls}: volume in steps of ×1.5
 * and rate in steps of ×1.2 ("much louder": two steps), within the controls' limits. At a limit it says so; when
 * the voice cannot change at all (the controls refuse) it says that honestly.
 */
public final class VoiceSkill implements Skill {
    static final double VOLUME_STEP = 1.5, RATE_STEP = 1.2;

    @Override
    public Set<String> intents() {
        return Set.of("voice.louder", "voice.quieter", "voice.slower", "voice.faster");
    }

    @Override
    public String capability() {
        return "speak louder, quieter, slower or faster";
    }

    @Override
    public List<String> examples() {
        return List.of("speak a bit slower", "louder please");
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        VoiceControls v = r.session().context().voice();
        boolean much = r.has("much") || r.has("lot") || r.has("way") || r.has("lots");
        int steps = much ? 2 : 1;
        return SkillReply.say(switch (r.intent()) {
            case "voice.louder" -> volume(v, Math.pow(VOLUME_STEP, steps), "OK, louder.", "That's as loud as I go.");
            case "voice.quieter" -> volume(v, Math.pow(1 / VOLUME_STEP, steps), "OK, quieter.",
                    "That's as quiet as I go.");
            case "voice.slower" -> rate(v, Math.pow(1 / RATE_STEP, steps), "OK, I'll speak more slowly.",
                    "That's as slow as I go.");
            case "voice.faster" -> rate(v, Math.pow(RATE_STEP, steps), "OK, I'll speak faster.",
                    "That's as fast as I go.");
            default -> "Sorry, I can't change my voice like that.";
        });
    }

    private static String volume(VoiceControls v, double factor, String done, String atLimit) {
        double target = clamp(v.volume() * factor, VoiceControls.MIN_VOLUME, VoiceControls.MAX_VOLUME);
        if (Math.abs(target - v.volume()) < 1e-9) {
            return v.setVolume(target) ? atLimit : "Sorry, I can't change my volume here.";
        }
        return v.setVolume(target) ? done : "Sorry, I can't change my volume here.";
    }

    private static String rate(VoiceControls v, double factor, String done, String atLimit) {
        double target = clamp(v.rate() * factor, VoiceControls.MIN_RATE, VoiceControls.MAX_RATE);
        if (Math.abs(target - v.rate()) < 1e-9) {
            return v.setRate(target) ? atLimit : "Sorry, I can't change how fast I speak here.";
        }
        return v.setRate(target) ? done : "Sorry, I can't change how fast I speak here.";
    }

    private static double clamp(double x, double min, double max) {
        return Math.max(min, Math.min(max, x));
    }
}
