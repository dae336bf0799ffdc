package dev.parley.dialog.skills.builtin;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One user's named lists ("shopping", "to do"), in memory and, when a file is given, saved to it as JSON after
 * every change ({@code {"shopping":["milk","eggs"]}}, written to a temporary file then moved into place). A file
 * that cannot be read is moved aside ({@code .unreadable}) and the lists start empty, so it is never overwritten.
 * Thread-safe.
 */
final class Lists {
    private static final Logger log = LoggerFactory.getLogger(Lists.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Most items in one list, and most lists. */
    static final int MAX_ITEMS = 200, MAX_LISTS = 50;

    private final Path file;
    private final Map<String, List<String>> lists = new LinkedHashMap<>();
    /** The file could be neither read nor moved aside: never write over it. */
    private boolean keepOffFile;

    /** Lists kept in memory only. */
    Lists() {
        this.file = null;
    }

    /** Lists kept in {@code file} (read now if it exists). */
    Lists(Path file) {
        this.file = file;
        load();
    }

    /** What became of a change. */
    enum Result { DONE, ALREADY, NOT_FOUND, FULL }

    /** Adds {@code item} to {@code list}; ALREADY when it is there, FULL at the limits. */
    synchronized Result add(String list, String item) {
        List<String> items = lists.get(list);
        if (items == null) {
            if (lists.size() >= MAX_LISTS) {
                return Result.FULL;
            }
            items = new ArrayList<>();
            lists.put(list, items);
        }
        if (find(items, item).isPresent()) {
            return Result.ALREADY;
        }
        if (items.size() >= MAX_ITEMS) {
            return Result.FULL;
        }
        items.add(item);
        return Result.DONE;
    }

    /** Removes the item matching {@code item} ("eggs" matches "egg"); the item removed. */
    synchronized Optional<String> remove(String list, String item) {
        List<String> items = lists.get(list);
        if (items == null) {
            return Optional.empty();
        }
        Optional<String> found = find(items, item);
        found.ifPresent(items::remove);
        return found;
    }

    /** Removes the {@code index}th item (from 1). */
    synchronized Optional<String> removeAt(String list, int index) {
        List<String> items = lists.get(list);
        if (items == null || index < 1 || index > items.size()) {
            return Optional.empty();
        }
        return Optional.of(items.remove(index - 1));
    }

    /** Empties {@code list}; how many items it had. */
    synchronized int clear(String list) {
        List<String> items = lists.remove(list);
        return items == null ? 0 : items.size();
    }

    synchronized List<String> items(String list) {
        return List.copyOf(lists.getOrDefault(list, List.of()));
    }

    /** The lists with at least one item. */
    synchronized List<String> names() {
        return lists.entrySet().stream().filter(e -> !e.getValue().isEmpty()).map(Map.Entry::getKey).toList();
    }

    /** The item of {@code items} meant by {@code said}: the same, singular/plural, or the only one containing it. */
    static Optional<String> find(List<String> items, String said) {
        for (String i : items) {
            if (i.equals(said)) {
                return Optional.of(i);
            }
        }
        String s = singular(said);
        for (String i : items) {
            if (singular(i).equals(s)) {
                return Optional.of(i);
            }
        }
        List<String> containing = items.stream().filter(i -> (" " + i + " ").contains(" " + said + " ")).toList();
        return containing.size() == 1 ? Optional.of(containing.getFirst()) : Optional.empty();
    }

    private static String singular(String s) {
        if (s.endsWith("ies") && s.length() > 4) {
            return s.substring(0, s.length() - 3) + "y";
        }
        if (s.endsWith("oes") || s.endsWith("ches") || s.endsWith("shes") || s.endsWith("xes")) {
            return s.substring(0, s.length() - 2);
        }
        if (s.endsWith("s") && !s.endsWith("ss") && s.length() > 2) {
            return s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Saves to the file, if any; false when that failed (the lists stay in memory). */
    synchronized boolean save() {
        if (file == null) {
            return true;
        }
        if (keepOffFile) {
            return false;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(lists),
                    StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return true;
        } catch (IOException | RuntimeException e) {
            log.warn("could not save the lists to {}: {}", file, e.toString());
            return false;
        }
    }

    private void load() {
        if (!Files.exists(file)) {
            return;
        }
        try {
            Map<String, List<String>> read = JSON.readValue(Files.readString(file, StandardCharsets.UTF_8),
                    new TypeReference<LinkedHashMap<String, List<String>>>() {});
            if (read != null) {
                read.forEach((k, v) -> {
                    if (k != null && v != null) {
                        lists.put(k, new ArrayList<>(v.stream().filter(x -> x != null && !x.isBlank()).toList()));
                    }
                });
            }
        } catch (IOException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".unreadable");
            log.warn("could not read the lists in {} ({}); moving it to {} and starting empty", file, e.getClass()
                    .getSimpleName(), aside);
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException x) {
                log.warn("could not move {} aside ({}): the lists will not be saved", file, x.toString());
                keepOffFile = true;
            }
            lists.clear();
        }
    }
}
