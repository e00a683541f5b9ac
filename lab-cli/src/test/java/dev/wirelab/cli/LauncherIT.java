package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real {@code ./wirelab} script: a separate JVM started from the launcher's
 * classpath prints the same console and trace hash as the in-process run.
 */
class LauncherIT {
    @TempDir
    Path dir;

    /** The launcher script, or the test is skipped. */
    static Path launcher() {
        Path root = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
        Path launcher = root.resolve("wirelab");
        assumeTrue(Files.isExecutable(launcher), "no ./wirelab at " + root);
        // The launcher runs from lab-cli/target/lib, which only 'package' fills.
        assumeTrue(Files.isDirectory(root.resolve("lab-cli/target/lib")), "lab-cli not packaged yet");
        return launcher;
    }

    @Test
    void launcherBootsHelloWithTheSameTraceHash() throws IOException, InterruptedException {
        Path launcher = launcher();
        String hello = Cli.guest(dir, "hello.elf");

        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "boot", hello, "--trace-hash")
                .redirectOutput(dir.resolve("out").toFile())
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("WIRELAB_NO_BUILD", "1"); // the Maven build that runs this test just built it
        Process p = pb.start();
        p.getOutputStream().close();
        int code = p.waitFor();
        String out = Files.readString(dir.resolve("out"), StandardCharsets.UTF_8);
        String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);

        assertEquals(0, code, out + err);
        assertEquals("", err);
        Cli.Result inProcess = Cli.run("boot", hello, "--trace-hash");
        assertEquals(inProcess.out(), out, "same console and trace hash in a separate process");
    }

    /**
     * Ctrl-C stops the guest and exits 130 with one line. The signal is sent once
     * the guest has printed "ready" (the board is running, the handler installed),
     * so nothing depends on timing.
     */
    @Test
    void ctrlCStopsTheGuestWithExitCode130() throws IOException, InterruptedException {
        Path launcher = launcher();
        assumeTrue(!sigintIgnored(), "SIGINT is ignored in this process tree (started in the background)");
        String uartRx = Cli.guest(dir, "uart_rx.elf"); // waits for console input forever
        ProcessBuilder pb = new ProcessBuilder(launcher.toString(), "boot", uartRx)
                .redirectError(dir.resolve("err").toFile());
        pb.environment().put("WIRELAB_NO_BUILD", "1");
        Process p = pb.start();
        p.getOutputStream().close();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertEquals("uart_rx: ready", first, () -> "stderr: " + read(dir.resolve("err")));
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start();
            assertEquals(0, kill.waitFor());
            int code = p.waitFor();
            String err = read(dir.resolve("err"));
            assertEquals(130, code, err);
            assertEquals(1, err.lines().count(), err);
            assertTrue(err.startsWith("wirelab: interrupted (Ctrl-C): stopped by the host at "), err);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Whether SIGINT is ignored here (then children inherit that and never see it). */
    private static boolean sigintIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        assumeTrue(Files.isReadable(status), "no /proc");
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
