package dev.wirelab.fuzz.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded fuzz smoke test: Jazzer standalone, in a child JVM as users run it, fuzzes
 * {@code tcp-established} on the default guest for a fixed number of executions. Jazzer instruments
 * no class here, so every new corpus entry was found through guest edge coverage alone; the default
 * guest must give no finding (exit 0).
 */
class JazzerSmokeTest {
    static final int RUNS = 200;

    @Test
    void twoHundredExecutionsGrowTheCorpusThroughGuestCoverageWithNoFinding(@TempDir Path tmp) throws Exception {
        Path root = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath();
        Path corpus = Files.createDirectories(tmp.resolve("corpus"));
        int seeds = 0;
        try (Stream<Path> s = Files.list(root.resolve("corpora/tcp-established"))) {
            for (Path p : s.toList()) {
                Files.copy(p, corpus.resolve(p.getFileName()));
                seeds++;
            }
        }
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dwirelab.root=" + root, "-XX:+EnableDynamicAgentLoading", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Xshare:off", "-cp", cp,
                "com.code_intelligence.jazzer.Jazzer", "--target_class=" + TcpEstablishedTarget.class.getName(),
                "--instrumentation_includes=dev.wirelab.fuzz.none.**", "--custom_hook_includes=dev.wirelab.fuzz.none.**",
                "--reproducer_path=" + tmp,
                "-artifact_prefix=" + tmp + "/", "-runs=" + RUNS, "-seed=1048", corpus.toString()));
        Path log = tmp.resolve("jazzer.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        int code = p.waitFor();
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, code, () -> "Jazzer exit " + code + ":\n" + tail(out));
        assertTrue(out.contains("Done " + RUNS + " runs"), () -> tail(out));
        assertTrue(count(corpus) > seeds, () -> "guest coverage found new inputs:\n" + tail(out));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    private static String tail(String s) {
        return s.length() < 4000 ? s : s.substring(s.length() - 4000);
    }
}
