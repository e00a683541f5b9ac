package dev.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ClusterFuzzLite layout without Docker: {@code .clusterfuzzlite/build.sh} with SRC and OUT
 * in temp folders puts every target into OUT the JVM way, and one produced target, started as the
 * engine would start it, fuzzes its seed corpus for 300 executions.
 */
class ClusterFuzzLiteIT {
    @TempDir
    Path dir;

    @Test
    void buildShLaysOutEveryTargetAndOneRunsFromOut() throws IOException, InterruptedException {
        Path root = LauncherIT.launcher().getParent();
        Path out = Files.createDirectories(dir.resolve("out"));
        ProcessBuilder build = new ProcessBuilder(root.resolve(".clusterfuzzlite/build.sh").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("build.log").toFile());
        build.environment().put("SRC", Files.createDirectories(dir.resolve("src")).toString());
        build.environment().put("OUT", out.toString());
        build.environment().put("WIRELAB_NO_BUILD", "1"); // the Maven build running this test just built it
        build.environment().put("WIRELAB_JDK_LINK", "1");
        assertEquals(0, build.start().waitFor(), Files.readString(dir.resolve("build.log")));

        for (String t : List.of("tcp_listen", "tcp_established", "tcp_interleave", "host_capture", "host_packet",
                "host_virtio", "host_pkt")) {
            assertTrue(Files.isExecutable(out.resolve(t)), t);
            assertTrue(Files.readString(out.resolve(t)).contains("LLVMFuzzerTestOneInput"), "the runners' marker");
            assertTrue(Files.isRegularFile(out.resolve(t + "_seed_corpus.zip")), t);
        }
        assertTrue(Files.readString(out.resolve("tcp_established.options")).contains("max_len = 512"));
        Path corpus = Files.createDirectories(dir.resolve("corpus"));
        Set<String> zipped = unzip(out.resolve("tcp_established_seed_corpus.zip"), corpus);
        Set<String> seeds = new TreeSet<>();
        try (Stream<Path> s = Files.list(root.resolve("corpora/tcp-established"))) {
            s.forEach(p -> seeds.add(p.getFileName().toString()));
        }
        assertEquals(seeds, zipped, "the seed corpus is the checked-in one");

        Process run = new ProcessBuilder(out.resolve("tcp_established").toString(), "-runs=300", "-seed=1",
                "-max_len=512", "-len_control=0", corpus.toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("run.log").toFile())
                .start();
        int code = run.waitFor();
        String log = Files.readString(dir.resolve("run.log"), StandardCharsets.UTF_8);
        assertEquals(0, code, log);
        assertTrue(log.contains("Done 300 runs"), log);
        assertTrue(log.matches("(?s).*#300\\s+DONE\\s+cov: \\d+.*"), log);
    }

    private static Set<String> unzip(Path zip, Path into) throws IOException {
        Set<String> names = new TreeSet<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                Files.write(into.resolve(e.getName()), in.readAllBytes());
            }
        }
        return names;
    }
}
