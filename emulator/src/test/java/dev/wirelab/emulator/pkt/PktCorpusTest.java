package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.lab.Lab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Every script in corpora/pkt passes against the default guest (each from the booted state). */
class PktCorpusTest {
    static final Path CORPUS = Path.of("..", "corpora", "pkt");
    static Lab lab;

    @BeforeAll
    static void boot() {
        lab = new Lab().boot();
    }

    @AfterAll
    static void close() {
        lab.close();
    }

    @TestFactory
    Stream<DynamicTest> corpusPasses() throws IOException {
        List<Path> scripts;
        try (Stream<Path> s = Files.list(CORPUS)) {
            scripts = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        if (scripts.isEmpty()) {
            throw new IllegalStateException("no scripts in " + CORPUS.toAbsolutePath());
        }
        return scripts.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            lab.reset();
            lab.setBudget(Lab.DEFAULT_BUDGET);
            PktRunner.runFile(lab, p, PktRunner.Settings.defaults());
        }));
    }
}
