package dev.parley.dialog.skills.builtin;

import dev.parley.dialog.Tool;
import dev.parley.dialog.skills.FollowUp;
import dev.parley.dialog.skills.Skill;
import dev.parley.dialog.skills.SkillReply;
import dev.parley.dialog.skills.SkillRequest;
import dev.parley.dialog.skills.SkillSession;
import dev.parley.dialog.skills.SkillTools;
import dev.parley.dialog.skills.ToolArgumentException;
import dev.parley.dialog.skills.slots.Durations;
import dev.parley.dialog.skills.slots.NumberParser;
import dev.parley.dialog.skills.slots.NumberWords;
import dev.parley.dialog.skills.slots.ParsedNumber;
import dev.parley.dialog.skills.slots.SpokenText;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists: "add milk to my shopping list", "add eggs and bread", "put call the bank on my to do list", "remove milk
 * from the shopping list", "take eggs off the list", "remove the second item", "clear the shopping list", "what's
 * on my shopping list", "read my to do list", "what lists do I have". The list is the shopping list unless another
 * is named; "groceries" is the shopping list, "todo" and "to-do" the to do list.
 *
 * <p>Without a directory the lists live in the session's memory. With one, each user's lists are kept in
 * {@code <directory>/<user>.lists.json}, shared by that user's sessions and saved after every change.
 */
public final class ListSkill implements Skill {
    static final String DEFAULT_LIST = "shopping";
    /** Items read out before "and N more". */
    static final int READ_AT_MOST = 10;

    private static final Set<String> STRONG_ADD = Set.of("add", "put", "write", "append", "include", "jot", "stick",
            "insert", "plus");
    private static final Set<String> WEAK_ADD = Set.of("buy", "get", "need", "pick");
    private static final Set<String> REMOVE = Set.of("remove", "delete", "take", "cross", "scratch", "erase",
            "strike", "drop", "rid");
    private static final Set<String> CLEAR = Set.of("clear", "empty", "wipe", "everything", "reset");
    private static final Set<String> BEFORE_NAME_STOP = Set.copyOf(List.of("to", "on", "onto", "from", "off", "in", "into", "of",
            "the", "my", "our", "your", "a", "this", "add", "put", "remove", "take", "delete", "read", "whats", "what",
            "is", "s", "tell", "me", "show", "clear", "empty", "cross", "at", "for", "and", "list", "whole", "entire",
            "out", "check", "please", "hey", "parley", "items", "item", "up", "down", "about", "has", "have"));
    private static final Set<String> DETERMINERS = Set.of("the", "my", "our", "your", "this", "that");
    private static final Set<String> PREPOSITIONS = Set.of("to", "on", "onto", "from", "off", "in", "into", "of", "at",
            "for");
    private static final Set<String> ITEM_EDGES = Set.of("some", "please", "also", "too", "down", "up", "off", "out",
            "me", "for", "the", "to", "and", "then", "now", "again", "thanks", "ok", "okay", "oh", "um", "uh",
            "of", "from", "on");
    private static final Map<String, String> LIST_SYNONYMS = Map.of("grocery", DEFAULT_LIST,
            "groceries", DEFAULT_LIST, "shop", DEFAULT_LIST, "todo", "to do", "todos", "to do", "things to do",
            "to do", "task", "to do", "tasks", "to do");

    private final Path directory;
    private final Map<String, Lists> byUser = new ConcurrentHashMap<>();

    /** Lists kept in each session's memory. */
    public ListSkill() {
        this.directory = null;
    }

    /** Lists kept per user as JSON files in {@code directory} (created when needed). */
    public ListSkill(Path directory) {
        this.directory = directory;
    }

    @Override
    public Set<String> intents() {
        return Set.of("list.add", "list.remove", "list.read");
    }

    @Override
    public Set<String> actions() {
        return Set.of("list.add", "list.remove");
    }

    @Override
    public String capability() {
        return "keep your shopping and to do lists";
    }

    @Override
    public List<String> examples() {
        return List.of("add milk to my shopping list", "what's on my shopping list",
                "add call the bank to my to do list");
    }

    /** The lists of the session's user. */
    Lists lists(SkillSession session) {
        if (directory == null) {
            return session.state(Lists.class, s -> new Lists());
        }
        return byUser.computeIfAbsent(session.userId(), u -> new Lists(directory.resolve(fileName(u))));
    }

    /** A file name for {@code user}: as is when plain ("alice", "bob_2"), else a hash ("user-3f2a..."). */
    static String fileName(String user) {
        if (user.matches("[A-Za-z0-9_-]{1,64}")) {
            return user + ".lists.json";
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(user.getBytes(StandardCharsets.UTF_8));
            return "user-" + HexFormat.of().formatHex(h, 0, 16) + ".lists.json";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public SkillReply handle(SkillRequest r) {
        Parsed p = parse(r.words(), r.intent());
        Lists lists = lists(r.session());
        return switch (r.intent()) {
            case "list.add" -> {
                if (p.items().isEmpty()) {
                    FollowUp what = next -> {
                        if (!answersQuestion(next)) {
                            return Optional.empty();
                        }
                        List<String> items = next.intent().equals("list.add") ? parse(next.words(), "list.add").items()
                                : List.of();
                        if (items.isEmpty()) {
                            items = items(next.words(), 0, next.words().size());
                        }
                        return items.isEmpty() ? Optional.empty()
                                : Optional.of(SkillReply.say(add(next.session(), lists, p.list(), items)));
                    };
                    yield SkillReply.ask("What should I add to your " + spokenList(p.list()) + "?", what);
                }
                yield SkillReply.say(add(r.session(), lists, p.list(), p.items()));
            }
            case "list.remove" -> SkillReply.say(remove(r.session(), lists, p, r.words()));
            case "list.read" -> SkillReply.say(p.allLists() ? names(lists) : read(lists, p.list()));
            default -> SkillReply.pass();
        };
    }

    /** Whether the turn after "What should I add?" is an item, not a new request ("what time is it"). */
    private static boolean answersQuestion(SkillRequest next) {
        return next.match().outOfScope() || next.intent().equals("list.add") || next.match().score() < 0.5;
    }

    // -- parsing --------------------------------------------------------------------------------------------------

    /**
     * @param list     the list's name ("shopping", "to do")
     * @param items    the items said, split at "and"
     * @param allLists "what lists do I have"
     */
    record Parsed(String list, List<String> items, boolean allLists) {}

    static Parsed parse(List<String> w, String intent) {
        int listIdx = w.lastIndexOf("list");
        boolean allLists = listIdx < 0 && w.contains("lists");
        String name = DEFAULT_LIST;
        int phraseStart = w.size(), phraseEnd = w.size();
        if (listIdx < 0) {
            // "add milk to my todo", "what's on my groceries"
            for (int i = w.size() - 1; i >= 0; i--) {
                if (LIST_SYNONYMS.containsKey(w.get(i))) {
                    listIdx = i + 1;
                    break;
                }
            }
        }
        if (listIdx >= 0) {
            int nameStart = listIdx;
            if (listIdx >= 2 && w.get(listIdx - 2).equals("to") && w.get(listIdx - 1).equals("do")) {
                nameStart = listIdx - 2;
            } else {
                while (nameStart > 0 && listIdx - nameStart < 2 && !BEFORE_NAME_STOP.contains(w.get(nameStart - 1))) {
                    nameStart--;
                }
            }
            if (nameStart < listIdx) {
                String said = String.join(" ", w.subList(nameStart, listIdx));
                name = LIST_SYNONYMS.getOrDefault(said, said);
            }
            phraseStart = nameStart;
            while (phraseStart > 0 && DETERMINERS.contains(w.get(phraseStart - 1))) {
                phraseStart--;
            }
            if (phraseStart > 0 && PREPOSITIONS.contains(w.get(phraseStart - 1))) {
                phraseStart--;
            }
            phraseEnd = Math.min(w.size(), listIdx + 1);
        }
        List<String> items = List.of();
        if (!intent.equals("list.read")) {
            int verb = verb(w, intent.equals("list.add") ? STRONG_ADD : REMOVE, intent.equals("list.add"));
            int from = verb + 1;
            items = from < phraseStart ? items(w, from, phraseStart) : items(w, Math.max(from, phraseEnd), w.size());
        }
        return new Parsed(name, items, allLists);
    }

    /** The index of the verb that introduces the items, or -1. */
    private static int verb(List<String> w, Set<String> verbs, boolean add) {
        for (int i = 0; i < w.size(); i++) {
            if (verbs.contains(w.get(i))) {
                return i;
            }
        }
        if (add) {
            int last = -1;
            for (int i = 0; i < w.size(); i++) {
                if (WEAK_ADD.contains(w.get(i))) {
                    last = i;
                }
            }
            return last;
        }
        return -1;
    }

    /** The items in {@code w[from, to)}, split at "and", trimmed of filler words. */
    static List<String> items(List<String> w, int from, int to) {
        List<String> out = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (int i = from; i <= to; i++) {
            if (i == to || w.get(i).equals("and")) {
                int a = 0, b = current.size();
                while (a < b && ITEM_EDGES.contains(current.get(a))) {
                    a++;
                }
                while (b > a && ITEM_EDGES.contains(current.get(b - 1))) {
                    b--;
                }
                if (a < b) {
                    out.add(String.join(" ", current.subList(a, b)));
                }
                current.clear();
            } else {
                current.add(w.get(i));
            }
        }
        return out;
    }

    // -- actions --------------------------------------------------------------------------------------------------

    private static String add(SkillSession session, Lists lists, String list, List<String> items) {
        List<String> added = new ArrayList<>(), already = new ArrayList<>();
        boolean full = false;
        for (String item : items) {
            switch (lists.add(list, item)) {
                case DONE -> added.add(item);
                case ALREADY -> already.add(item);
                case FULL -> full = true;
                case NOT_FOUND -> { }
            }
        }
        boolean saved = added.isEmpty() || lists.save();
        if (!added.isEmpty()) {
            session.onUndo(() -> {
                added.forEach(i -> lists.remove(list, i));
                lists.save();
            });
        }
        StringBuilder sb = new StringBuilder();
        if (!added.isEmpty()) {
            sb.append("I added ").append(Durations.joinAnd(added)).append(" to your ").append(spokenList(list))
                    .append('.');
        }
        if (!already.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " ").append(capitalize(Durations.joinAnd(already)))
                    .append(already.size() == 1 ? " is" : " are").append(" already on your ")
                    .append(spokenList(list)).append('.');
        }
        if (full) {
            sb.append(sb.isEmpty() ? "" : " ").append("Your ").append(spokenList(list)).append(" is full.");
        }
        if (!saved) {
            sb.append(" But I couldn't save it to disk.");
        }
        return sb.toString();
    }

    private static String remove(SkillSession session, Lists lists, Parsed p, List<String> words) {
        String list = p.list();
        if (words.stream().anyMatch(CLEAR::contains) || (words.contains("all") && words.contains("items"))) {
            List<String> before = lists.items(list);
            int n = lists.clear(list);
            lists.save();
            session.onUndo(() -> {
                before.forEach(i -> lists.add(list, i));
                lists.save();
            });
            return n == 0 ? "Your " + spokenList(list) + " is already empty."
                    : "OK, I cleared your " + spokenList(list) + ".";
        }
        Optional<Integer> position = position(words);
        List<String> removed = new ArrayList<>(), missing = new ArrayList<>();
        if (position.isPresent()) {
            lists.removeAt(list, position.get()).ifPresentOrElse(removed::add,
                    () -> missing.add("item " + NumberWords.toWords(position.get())));
        } else {
            if (p.items().isEmpty()) {
                return "What should I remove from your " + spokenList(list) + "?";
            }
            for (String item : p.items()) {
                lists.remove(list, item).ifPresentOrElse(removed::add, () -> missing.add(item));
            }
        }
        if (!removed.isEmpty()) {
            lists.save();
            session.onUndo(() -> {
                removed.forEach(i -> lists.add(list, i));
                lists.save();
            });
        }
        StringBuilder sb = new StringBuilder();
        if (!removed.isEmpty()) {
            sb.append("I removed ").append(Durations.joinAnd(removed)).append(" from your ").append(spokenList(list))
                    .append('.');
        }
        if (!missing.isEmpty()) {
            sb.append(sb.isEmpty() ? "" : " ").append("I couldn't find ").append(Durations.joinAnd(missing))
                    .append(" on your ").append(spokenList(list)).append('.');
        }
        return sb.toString();
    }

    /** "the second item", "item number two", "number 3". */
    private static Optional<Integer> position(List<String> w) {
        for (ParsedNumber n : NumberParser.findAll(w)) {
            boolean ordinalItem = n.ordinal() && n.end() < w.size()
                    && Set.of("item", "one", "thing", "entry").contains(w.get(n.end()));
            boolean numbered = !n.ordinal() && n.start() > 0
                    && Set.of("item", "number").contains(w.get(n.start() - 1));
            if ((ordinalItem || numbered) && n.isWhole() && n.value() >= 1 && n.value() <= Lists.MAX_ITEMS) {
                return Optional.of((int) n.value());
            }
        }
        return Optional.empty();
    }

    private static String read(Lists lists, String list) {
        List<String> items = lists.items(list);
        if (items.isEmpty()) {
            return "Your " + spokenList(list) + " is empty.";
        }
        String count = items.size() == 1 ? "one item" : NumberWords.toWords(items.size()) + " items";
        List<String> said = items.size() <= READ_AT_MOST ? items : new ArrayList<>(items.subList(0, READ_AT_MOST));
        String more = items.size() > READ_AT_MOST ? ", and " + NumberWords.toWords(items.size() - READ_AT_MOST)
                + " more" : "";
        return "Your " + spokenList(list) + " has " + count + ": "
                + (more.isEmpty() ? Durations.joinAnd(said) : String.join(", ", said) + more) + ".";
    }

    private static String names(Lists lists) {
        List<String> names = lists.names();
        if (names.isEmpty()) {
            return "You don't have any lists yet. Try: add milk to my shopping list.";
        }
        if (names.size() == 1) {
            return "You have one list: your " + spokenList(names.getFirst()) + ".";
        }
        return "You have " + NumberWords.toWords(names.size()) + " lists: " + Durations.joinAnd(names) + ".";
    }

    static String spokenList(String list) {
        return list + " list";
    }

    private static String capitalize(String s) {
        return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
    }

    // -- tools ----------------------------------------------------------------------------------------------------

    @Override
    public List<Tool> tools(SkillSession session) {
        String schema = """
                {"type":"object","properties":{
                "list":{"type":"string","description":"the list's name, e.g. shopping or to do (default shopping)"},
                "item":{"type":"string","description":"the item"}},
                "required":["item"]}""";
        return List.of(
                SkillTools.tool("list_add", "Add an item to one of the user's lists.", schema,
                        a -> add(session, lists(session), toolList(a.optionalText("list")), List.of(toolItem(a.text("item"))))),
                SkillTools.tool("list_remove", "Remove an item from one of the user's lists.", schema,
                        a -> {
                            String list = toolList(a.optionalText("list"));
                            return remove(session, lists(session), new Parsed(list, List.of(toolItem(a.text("item"))),
                                    false), List.of());
                        }),
                SkillTools.tool("list_read", "Read the items of one of the user's lists.", """
                                {"type":"object","properties":{
                                "list":{"type":"string","description":"the list's name (default shopping)"}}}""",
                        a -> read(lists(session), toolList(a.optionalText("list")))));
    }

    private static String toolList(Optional<String> name) {
        String n = name.map(SpokenText::normalize).orElse(DEFAULT_LIST).replaceAll("(^| )list$", "").strip();
        if (n.isEmpty()) {
            return DEFAULT_LIST;
        }
        if (n.length() > 40) {
            throw new ToolArgumentException("list must be a short name");
        }
        return LIST_SYNONYMS.getOrDefault(n, n);
    }

    private static String toolItem(String item) {
        String n = SpokenText.normalize(item);
        if (n.isEmpty()) {
            throw new ToolArgumentException("item must have letters or digits");
        }
        if (n.length() > 100) {
            throw new ToolArgumentException("item is too long (at most 100 characters)");
        }
        return n;
    }
}
