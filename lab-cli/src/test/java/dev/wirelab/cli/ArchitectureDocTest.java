package dev.wirelab.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docs/ARCHITECTURE.md stays true to the code: every type it names exists, and the one run loop it
 * describes is still the only place that starts the CPU.
 */
class ArchitectureDocTest {
    static final Path ROOT = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
    static final List<String> MODULES = List.of("emulator", "fuzz", "lab-cli");
    /** A type name inside a code span: `Board`, `board/RunUntil`, `Board.run`, `Snapshottable<S>`. */
    static final Pattern TYPE = Pattern.compile("(?:^|[/\\s(])([A-Z][a-z][A-Za-z0-9]*)(?=[.(<\\s]|$)");

    @Test
    void everyTypeTheMapNamesExists() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/ARCHITECTURE.md"));
        List<Path> sources = javaSources();
        Set<String> declared = new TreeSet<>();
        Pattern declaration = Pattern.compile("\\b(?:class|record|interface|enum)\\s+([A-Z][A-Za-z0-9]*)");
        for (Path p : sources) {
            Matcher m = declaration.matcher(read(p));
            while (m.find()) {
                declared.add(m.group(1));
            }
        }
        Set<String> missing = new TreeSet<>();
        Matcher span = Pattern.compile("`([^`\\n]+)`").matcher(doc);
        while (span.find()) {
            Matcher t = TYPE.matcher(span.group(1));
            while (t.find()) {
                String name = t.group(1);
                if (!declared.contains(name) && !isJdkType(name)) {
                    missing.add(name);
                }
            }
        }
        assertTrue(declared.size() > 300, "read the sources under " + ROOT + " (" + declared.size() + " types)");
        assertEquals(Set.of(), missing, "types named in docs/ARCHITECTURE.md that no source declares");
    }

    @Test
    void oneRunLoopStartsTheCpu() throws IOException {
        List<String> starts = javaSources().stream()
                .filter(p -> p.toString().contains("/src/main/"))
                .flatMap(p -> read(p).lines().filter(l -> l.contains("uc.start(")).map(l -> ROOT.relativize(p) + ": " + l.strip()))
                .toList();
        assertEquals(1, starts.size(), "callers of uc.start: " + starts);
        assertTrue(starts.getFirst().contains("board/Executor.java"), starts.getFirst());
    }

    private static boolean isJdkType(String name) {
        for (String pkg : List.of("java.lang.", "java.util.")) {
            try {
                Class.forName(pkg + name);
                return true;
            } catch (ClassNotFoundException e) {
                // not there; try the next package
            }
        }
        return false;
    }

    private static List<Path> javaSources() throws IOException {
        List<Path> all = new java.util.ArrayList<>();
        for (String module : MODULES) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(module).resolve("src"))) {
                s.filter(p -> p.toString().endsWith(".java")).forEach(all::add);
            }
        }
        return all;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
