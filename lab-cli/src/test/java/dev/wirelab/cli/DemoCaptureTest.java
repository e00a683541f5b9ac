package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code demo --capture}: a bad path fails before the demo; the pcapng never runs backwards in time. */
class DemoCaptureTest {
    @TempDir
    Path dir;

    @Test
    void anUnwritablePathFailsAtOnceWithOneLine() {
        Cli.Result r = Cli.run("demo", "--capture", dir.resolve("no/such/folder/demo.pcapng").toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("does not exist; create it or choose another path"), r.toString());
        assertFalse(r.out().contains("wirelab demo"), "the demo must not run first: " + r);
    }

    @Test
    void theCaptureIsMonotonicAndHasNoFalseRetransmissions() throws Exception {
        Path file = dir.resolve("demo.pcapng");
        Cli.Result r = Cli.run("demo", "--capture", file.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(Files.size(file) > 0);
        assertTrue(r.out().contains("up to the replay from the snapshot"), r.toString());
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/tshark")), "tshark not installed");
        List<String> times = tshark(file, "-T", "fields", "-e", "frame.time_epoch");
        assertTrue(times.size() > 10, times.toString());
        for (int i = 1; i < times.size(); i++) {
            assertTrue(Double.parseDouble(times.get(i)) >= Double.parseDouble(times.get(i - 1)),
                    "time goes backwards at frame " + (i + 1) + ": " + times);
        }
        assertEquals(List.of(), tshark(file, "-Y", "tcp.analysis.retransmission || tcp.analysis.out_of_order"));
    }

    private static List<String> tshark(Path file, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("tshark", "-n", "-r", file.toString()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.getErrorStream().readAllBytes();
        assertEquals(0, p.waitFor(), out);
        return out.lines().filter(l -> !l.isBlank()).toList();
    }
}
