package dev.parley.cli;

import dev.parley.session.SessionConfig;
import dev.parley.embedded.tts.MaryTtsSynthesizer;
import dev.parley.tts.SentenceChunker;
import dev.parley.turn.Endpointer;
import picocli.CommandLine.Option;

/** The settings every conversational command shares: turn-taking, voice, output. */
final class PipelineOptions {
    @Option(names = "--vad-threshold", paramLabel = "P", defaultValue = "0.5",
            description = "Speech probability above which a frame counts as speech (0-1). Default: ${DEFAULT-VALUE}.")
    float vadThreshold;

    @Option(names = "--min-speech-ms", paramLabel = "MS", defaultValue = "160",
            description = "Speech needed before a user turn starts; shorter sounds are ignored. Default: ${DEFAULT-VALUE}.")
    int minSpeechMs;

    @Option(names = "--endpoint-silence-ms", paramLabel = "MS", defaultValue = "300",
            description = "Silence after speech that ends the user's turn. Default: ${DEFAULT-VALUE}.")
    int endpointSilenceMs;

    @Option(names = "--max-speech-ms", paramLabel = "MS", defaultValue = "30000",
            description = "Longest user turn; longer speech is cut and answered. Default: ${DEFAULT-VALUE}.")
    int maxSpeechMs;

    /** How the end of a turn is found. */
    enum TurnDetectionMode { words, silence }

    @Option(names = "--turn-detection", paramLabel = "words|silence", defaultValue = "words",
            description = "How the end of your turn is found: words (the words so far are judged too: an unfinished sentence such as 'set a timer for' may pause up to --max-pause-ms) or silence (--endpoint-silence-ms of silence always ends it). Default: ${DEFAULT-VALUE}.")
    TurnDetectionMode turnDetection;

    @Option(names = "--max-pause-ms", paramLabel = "MS", defaultValue = "1500",
            description = "With --turn-detection words: the longest pause inside an unfinished sentence before the turn ends anyway. Default: ${DEFAULT-VALUE}.")
    int maxPauseMs;

    @Option(names = "--pre-roll-ms", paramLabel = "MS", defaultValue = "300",
            description = "Audio kept from before the detected start of speech, so the first syllable is heard. Default: ${DEFAULT-VALUE}.")
    int preRollMs;

    @Option(names = "--barge-in-ms", paramLabel = "MS", defaultValue = "64",
            description = "Speech over a reply that stops it. Default: ${DEFAULT-VALUE}.")
    int bargeInMs;

    @Option(names = "--first-phrase-words", paramLabel = "N", defaultValue = "3",
            description = "The reply's first phrase may end at a comma after this many words, to start speaking sooner. Default: ${DEFAULT-VALUE}.")
    int firstPhraseWords;

    @Option(names = "--speculate-ms", paramLabel = "MS", defaultValue = "0",
            description = "After this much of a pause, the reply to what was heard so far is prepared, to play the moment the turn ends (0: off; worth it with a long endpoint silence or a slow dialog). Default: ${DEFAULT-VALUE}.")
    int speculateMs;

    @Option(names = "--first-audio-ms", paramLabel = "MS", defaultValue = "3000",
            description = "The turn's budget for its first audio, from the end of the user's speech: a cloud provider that has not answered by a share of it is raced by its fallback, and the next turns skip it until a background probe finds it back (0: off, each provider waits out its own timeout). Default: ${DEFAULT-VALUE}.")
    int firstAudioMs;

    @Option(names = "--wake-word", paramLabel = "PHRASE[,PHRASE…]", split = ",",
            description = "Answer only after one of these phrases, said before the request ('computer, what time is it') or alone and then the request; until one is heard nothing is transcribed or answered. Choose two or three syllables the recogniser knows, unlike everyday words ('computer', 'jarvis'; see the README). Default: none, every utterance is answered.")
    java.util.List<String> wakeWords = java.util.List.of();

    @Option(names = "--follow-up-s", paramLabel = "S", defaultValue = "8",
            description = "With --wake-word: after each reply (and after a wake phrase said alone), speech that starts within this many seconds needs no wake phrase. Default: ${DEFAULT-VALUE}.")
    double followUpS;

    @Option(names = "--voice", paramLabel = "NAME", defaultValue = MaryTtsSynthesizer.DEFAULT_VOICE,
            description = "MaryTTS voice. Default: ${DEFAULT-VALUE}.")
    String voice;

    @Option(names = "--output-rate", paramLabel = "HZ", defaultValue = "24000",
            description = "Sample rate of the reply audio (file or speaker). Default: ${DEFAULT-VALUE}.")
    int outputRate;

    SessionConfig sessionConfig() {
        try {
            return new SessionConfig(new Endpointer.Config(vadThreshold, minSpeechMs, endpointSilenceMs, maxSpeechMs),
                    preRollMs, bargeInMs, new SentenceChunker.Config(firstPhraseWords, SentenceChunker.Config.DEFAULT.maxWords()), speculateMs)
                    .withDetection(new SessionConfig.TurnDetection(turnDetection == TurnDetectionMode.words, maxPauseMs))
                    .withFirstAudioMs(firstAudioMs)
                    .withWake(wake());
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: " + e.getMessage());
        }
    }

    /** The wake phrases and follow-up window of {@code --wake-word} and {@code --follow-up-s}. */
    SessionConfig.WakeWords wake() {
        if (!(followUpS >= 0 && followUpS <= 600)) throw new UserError("invalid setting: --follow-up-s must be between 0 and 600 seconds");
        try {
            return new SessionConfig.WakeWords(wakeWords, (int) Math.round(followUpS * 1000));
        } catch (IllegalArgumentException e) {
            throw new UserError("invalid setting: --wake-word: " + e.getMessage());
        }
    }

    int outputRate() {
        if (outputRate < 8000 || outputRate > 192_000) throw new UserError("invalid setting: --output-rate must be between 8000 and 192000 Hz");
        return outputRate;
    }
}
