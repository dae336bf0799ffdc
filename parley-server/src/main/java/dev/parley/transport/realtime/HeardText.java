package dev.parley.transport.realtime;

import java.util.List;

/**
 * The words of a reply a listener heard before it was cut off ({@code conversation.item.truncate}): kept apart from
 * {@link RealtimeSession} because it is pure arithmetic on the reply's phrases and samples.
 */
final class HeardText {
    /** A phrase of a reply and where its audio starts, in samples of the response's audio. */
    record Phrase(long startSample, String text) {}

    private HeardText() {
    }

    /**
     * The words of the reply within its first {@code audioEndMs}: every phrase that ended by then, and of the phrase
     * playing at that moment, the share of its words its share of time covers.
     *
     * @param samples the reply's audio so far, in samples at {@code rate}
     */
    static String of(List<Phrase> phrases, long samples, int rate, long audioEndMs) {
        long endSample = audioEndMs * rate / 1000;
        StringBuilder heard = new StringBuilder();
        for (int i = 0; i < phrases.size(); i++) {
            Phrase p = phrases.get(i);
            if (p.startSample() >= endSample) break;
            long phraseEnd = i + 1 < phrases.size() ? phrases.get(i + 1).startSample() : samples;
            String[] words = p.text().split("\\s+");
            int keep = endSample >= phraseEnd ? words.length
                    : (int) Math.round(words.length * (double) (endSample - p.startSample()) / Math.max(1, phraseEnd - p.startSample()));
            for (int w = 0; w < keep; w++) {
                if (!heard.isEmpty()) heard.append(' ');
                heard.append(words[w]);
            }
        }
        return heard.toString();
    }
}
