package dev.parley.dialog.nlu;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The labelled utterances the intent classifier is trained and measured on, read from a tab-separated file with the
 * header {@code intent split utterance}; lines starting with {@code #} and blank lines are skipped. The bundled one,
 * {@value #RESOURCE}, holds STT-style phrasings of every intent of {@link Intents} and out-of-scope requests.
 *
 * <p>A malformed file is refused whole with the file name and line number in the message.
 */
public final class IntentDataset {

    public static final String RESOURCE = "/dev/parley/dialog/nlu/intents.tsv";
    private static final String HEADER = "intent\tsplit\tutterance";
    private static final Pattern INTENT_NAME = Pattern.compile("[a-z][a-z_]*(\\.[a-z_]+)*");

    private final List<IntentExample> examples;

    private IntentDataset(List<IntentExample> examples) {
        this.examples = List.copyOf(examples);
    }

    /** The bundled dataset. */
    public static IntentDataset load() {
        try (InputStream in = IntentDataset.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException("intent dataset " + RESOURCE + " is not on the class path");
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), "intents.tsv");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
    }

    /**
     * Parses a dataset; {@code source} names it in error messages.
     *
     * @throws IllegalArgumentException on a missing header, a line without exactly three columns, an unknown split,
     *                                  a malformed intent name, an empty utterance, or no examples at all
     */
    public static IntentDataset parse(Reader reader, String source) throws IOException {
        List<IntentExample> out = new ArrayList<>();
        BufferedReader in = new BufferedReader(reader);
        boolean header = false;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) continue;
            if (!header) {
                if (!line.strip().equals(HEADER)) {
                    throw new IllegalArgumentException(source + " line " + lineNo + ": expected the header '"
                            + HEADER.replace("\t", "<tab>") + "'");
                }
                header = true;
                continue;
            }
            String[] cols = line.split("\t", -1);
            if (cols.length != 3) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": expected 3 tab-separated columns"
                        + " (intent, split, utterance), found " + cols.length);
            }
            String intent = cols[0].strip();
            if (!INTENT_NAME.matcher(intent).matches()) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": malformed intent name '" + intent
                        + "'");
            }
            IntentExample.Split split = switch (cols[1].strip().toLowerCase(Locale.ROOT)) {
                case "train" -> IntentExample.Split.TRAIN;
                case "test" -> IntentExample.Split.TEST;
                default -> throw new IllegalArgumentException(source + " line " + lineNo + ": split must be train or"
                        + " test, found '" + cols[1].strip() + "'");
            };
            String utterance = cols[2].strip();
            if (utterance.isEmpty()) {
                throw new IllegalArgumentException(source + " line " + lineNo + ": empty utterance");
            }
            out.add(new IntentExample(intent, split, utterance));
        }
        if (!header) throw new IllegalArgumentException(source + ": no header line, the file is empty");
        if (out.isEmpty()) throw new IllegalArgumentException(source + ": no examples");
        return new IntentDataset(out);
    }

    /** A dataset of these examples (for tests and tools). */
    public static IntentDataset of(List<IntentExample> examples) {
        if (examples.isEmpty()) throw new IllegalArgumentException("no examples");
        return new IntentDataset(examples);
    }

    public List<IntentExample> all() {
        return examples;
    }

    public List<IntentExample> train() {
        return examples.stream().filter(e -> e.split() == IntentExample.Split.TRAIN).toList();
    }

    public List<IntentExample> test() {
        return examples.stream().filter(e -> e.split() == IntentExample.Split.TEST).toList();
    }

    /** The labels, out of scope included, in order of first appearance. */
    public Set<String> intents() {
        Set<String> names = new LinkedHashSet<>();
        examples.forEach(e -> names.add(e.intent()));
        return Collections.unmodifiableSet(names);
    }
}
