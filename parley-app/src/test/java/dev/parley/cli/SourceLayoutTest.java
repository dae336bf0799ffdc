package dev.parley.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The layout rules a reader relies on, checked over every module's sources: a package lives in one module (its name
 * tells you where it is, and the Java module system would accept the layout), and no main source file is over 500
 * lines.
 */
class SourceLayoutTest {
    private static final Path ROOT = Path.of("..");
    private static final int MAX_LINES = 500;

    /** Every {@code src/<set>/java} of every module, with the module's name. */
    private static Map<Path, String> sourceRoots(String set) throws IOException {
        Map<Path, String> roots = new TreeMap<>();
        try (Stream<Path> modules = Files.list(ROOT)) {
            for (Path m : modules.filter(Files::isDirectory).toList()) {
                Path java = m.resolve("src").resolve(set).resolve("java");
                if (Files.isDirectory(java) && Files.exists(m.resolve("pom.xml"))) roots.put(java, m.getFileName().toString());
            }
        }
        return roots;
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void aPackageLivesInOneModule() throws IOException {
        for (String set : List.of("main", "test")) {
            Map<String, Set<String>> modulesOf = new TreeMap<>();
            for (var root : sourceRoots(set).entrySet()) {
                for (Path f : javaFiles(root.getKey())) {
                    String pkg = root.getKey().relativize(f.getParent()).toString().replace('/', '.');
                    modulesOf.computeIfAbsent(pkg, k -> new TreeSet<>()).add(root.getValue());
                }
            }
            assertThat(modulesOf).as("%s sources: modules per package", set).isNotEmpty();
            assertThat(modulesOf.entrySet().stream().filter(e -> e.getValue().size() > 1).map(Object::toString).toList())
                    .as("%s packages in more than one module", set).isEmpty();
        }
    }

    @Test
    void noMainSourceFileIsOver500Lines() throws IOException {
        Map<String, Long> over = new TreeMap<>();
        int files = 0;
        for (Path root : sourceRoots("main").keySet()) {
            for (Path f : javaFiles(root)) {
                files++;
                long lines;
                try (Stream<String> l = Files.lines(f)) {
                    lines = l.count();
                }
                if (lines > MAX_LINES) over.put(ROOT.relativize(f).toString(), lines);
            }
        }
        assertThat(files).as("main source files found").isGreaterThan(100);
        assertThat(over).as("main source files over %d lines", MAX_LINES).isEmpty();
    }
}
