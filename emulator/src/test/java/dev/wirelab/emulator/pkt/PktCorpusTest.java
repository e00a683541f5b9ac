package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.lab.BootedLab;
import dev.wirelab.emulator.lab.Lab;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Every script in corpora/pkt passes against the default guest (each from the booted state). */
class PktCorpusTest {
    static final Path CORPUS = Path.of("..", "corpora", "pkt");
    @RegisterExtension
    static final BootedLab BOOTED = new BootedLab();
    static final Lab lab = BOOTED.lab();

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
            BOOTED.reset();
            PktRunner.runFile(lab, p, PktRunner.Settings.defaults());
        }));
    }

    /**
     * A check run by hand against packetdrill's public scripts (not committed):
     * {@code -Dpkt.public=DIR} runs every .pkt under DIR against the default guest (shell lines
     * ignored) and prints how many pass, fail and are unsupported, with each one's first line.
     */
    @Test
    @EnabledIfSystemProperty(named = "pkt.public", matches = ".+")
    void packetdrillPublicScriptsAgainstTheGuest() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(System.getProperty("pkt.public")))) {
            files = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        Map<String, Integer> counts = new TreeMap<>();
        for (Path f : files) {
            BOOTED.reset();
            String outcome;
            try {
                PktRunner.runFile(lab, f, PktRunner.Settings.defaults().withIgnoreShell(true));
                outcome = "pass";
            } catch (RuntimeException e) {
                String kind = e instanceof dev.wirelab.emulator.lab.LabFailure ? "fail"
                        : e.getMessage() != null && e.getMessage().startsWith("unsupported") ? "unsupported" : "error";
                outcome = kind + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            }
            counts.merge(outcome.contains(":") ? outcome.substring(0, outcome.indexOf(':')) : outcome, 1, Integer::sum);
            System.out.println("pkt-public " + f + " " + outcome);
        }
        System.out.println("pkt-public summary of " + files.size() + ": " + counts);
    }
}
