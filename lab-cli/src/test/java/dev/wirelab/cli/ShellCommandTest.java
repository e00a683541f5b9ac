package dev.wirelab.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code wirelab shell} as a new user meets it, in a real terminal (tmux):
 * completion, history, Ctrl-C during a long run, a failing expectation, Ctrl-D.
 * Skipped when tmux is not installed.
 */
class ShellCommandTest {
    static final Path ROOT = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
    String session;

    @TempDir
    Path home;

    @BeforeEach
    void start(TestInfo test) throws Exception {
        Assumptions.assumeTrue(exec("sh", "-c", "command -v tmux").code == 0, "tmux is not installed");
        session = "wirelab-test-" + ProcessHandle.current().pid();
        String command;
        Path libEmulator = ROOT.resolve("lab-cli/target/lib/wirelab-emulator-0.1.0-SNAPSHOT.jar");
        Path lab = ROOT.resolve("emulator/target/classes/dev/wirelab/emulator/lab/Lab.class");
        boolean launcherCurrent = Files.exists(ROOT.resolve("lab-cli/target/lib/jline-3.30.0.jar")) && Files.exists(libEmulator)
                && Files.exists(lab) && Files.getLastModifiedTime(libEmulator).compareTo(Files.getLastModifiedTime(lab)) >= 0;
        if (launcherCurrent) { // ./wirelab as users start it, when the last package is current
            command = "env WIRELAB_NO_BUILD=1 " + ROOT.resolve("wirelab") + " shell --history " + home.resolve("hist");
        } else { // lib/ is made at package time, after the tests: until then the same command on the test's class path
            command = ProcessHandle.current().info().command().orElse("java") + " --enable-native-access=ALL-UNNAMED -Dwirelab.root=" + ROOT
                    + (System.getProperty("wirelab.unicorn") == null ? "" : " -Dwirelab.unicorn=" + System.getProperty("wirelab.unicorn"))
                    + " -cp "
                    + System.getProperty("java.class.path") + " dev.wirelab.cli.Main shell --history " + home.resolve("hist");
        }
        if (test.getTestMethod().map(m -> m.getName().contains("Capture")).orElse(false)) {
            command += " --capture " + home.resolve("shell.pcapng");
        }
        Path sh = home.resolve("start.sh");
        Files.writeString(sh, "#!/bin/sh\ncd " + home + " && exec " + command + "\n");
        Exec started = tmux("new-session", "-d", "-s", session, "-x", "200", "-y", "50", "sh " + sh + " 2>" + home.resolve("stderr"));
        assertTrue(started.code == 0, "tmux new-session: " + started.out);
        await("the prompt after boot", s -> s.contains("wirelab-guest: ready") && s.contains("wirelab>"), 60);
    }

    @AfterEach
    void stop() throws Exception {
        if (session != null) {
            tmux("kill-server");
        }
    }

    @Test
    void completionHistoryCtrlCAndAFailingExpectation() throws Exception {
        keys("lab.ru", "Tab");
        await("completion of lab.ru", s -> lastPrompt(s).startsWith("wirelab> lab.run"), 10);
        keys("C-u", "x = 6 * 7", "Enter");
        await("x", s -> s.contains("\n42"), 10);
        keys("Up");
        await("history recall", s -> lastPrompt(s).equals("wirelab> x = 6 * 7"), 10);
        keys("C-u", "lab.run(10_000_000_000)", "Enter");
        Thread.sleep(1500);
        keys("C-c");
        await("Ctrl-C back at the prompt", s -> s.contains("interrupted") && lastPrompt(s).equals("wirelab>"), 20);
        keys("x + lab.instructions.compareTo(0)", "Enter");
        await("state intact after Ctrl-C", s -> s.contains("\n43"), 10);
        keys("expect(flags: 'S.', within: ms(5))", "Enter");
        await("the failed expectation", s -> s.contains("expect failed: no packet from the guest"), 20);
        keys("C-d");
        long end = System.nanoTime() + 10_000_000_000L;
        while (tmux("has-session", "-t", session).code == 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(tmux("has-session", "-t", session).code != 0, "Ctrl-D ends the shell");
        assertTrue(Files.readString(home.resolve("hist")).contains("x = 6 * 7"), "history file written");
    }

    /**
     * {@code shell --capture FILE} on a real terminal: boot again, inject a SYN, let time pass, tick,
     * {@code exit}; the file is a valid pcapng holding the last boot's frames: the SYN and the
     * guest's answer.
     */
    @Test
    void exitWritesTheCaptureOfTheLastBoot() throws Exception {
        keys("boot()", "Enter");
        await("the second boot", s -> s.indexOf("Lab[wirelab-guest.elf") != s.lastIndexOf("Lab[wirelab-guest.elf")
                && lastPrompt(s).equals("wirelab>"), 60);
        keys("inject tcp(flags: 'S', mss: 1460)", "Enter");
        keys("advance(ms(20))", "Enter");
        keys("tick()", "Enter");
        keys("lab.trace.frames.size()", "Enter");
        await("the frames so far", s -> framesShown(s) > 0, 20);
        int shown = framesShown(screen());
        keys("exit", "Enter");
        long end = System.nanoTime() + 20_000_000_000L;
        while (tmux("has-session", "-t", session).code == 0 && System.nanoTime() < end) {
            Thread.sleep(100);
        }
        assertTrue(tmux("has-session", "-t", session).code != 0, "exit ends the shell");
        Path pcap = home.resolve("shell.pcapng");
        assertTrue(Files.exists(pcap), "the capture is written at exit: " + Files.readString(home.resolve("stderr")));
        var c = dev.wirelab.emulator.capture.CaptureReader.read(pcap);
        assertTrue(c.format() == dev.wirelab.emulator.capture.CaptureReader.Format.PCAPNG, c.format().toString());
        assertTrue(c.frames().size() == shown, c.frames().size() + " frames, the shell showed " + shown);
        List<dev.wirelab.emulator.wire.TcpSegment> tcp = c.frames().stream()
                .map(f -> dev.wirelab.emulator.wire.Packet.parse(f.data()).tcp()).filter(t -> t != null).toList();
        assertTrue(tcp.size() >= 2 && tcp.get(0).syn() && !tcp.get(0).isAck()
                && (tcp.get(1).rst() || tcp.get(1).syn() && tcp.get(1).isAck()), tcp.toString());
    }

    /** The number the shell printed for {@code lab.trace.frames.size()}, or -1 before it did. */
    private static int framesShown(String screen) {
        List<String> l = screen.lines().map(String::strip).toList();
        int at = l.lastIndexOf("wirelab> lab.trace.frames.size()");
        return at >= 0 && at + 1 < l.size() && l.get(at + 1).matches("\\d+") ? Integer.parseInt(l.get(at + 1)) : -1;
    }

    private static String lastPrompt(String screen) {
        List<String> lines = screen.lines().filter(l -> l.startsWith("wirelab>")).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1).stripTrailing();
    }

    private void keys(String... keys) throws Exception {
        for (String k : keys) {
            List<String> cmd = new ArrayList<>(List.of("tmux", "-L", SOCKET, "-f", "/dev/null", "send-keys", "-t", session));
            if (k.matches("Tab|Enter|Up|C-[a-z]")) {
                cmd.add(k);
            } else {
                cmd.add("-l");
                cmd.add(k);
            }
            exec(cmd.toArray(String[]::new));
        }
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-S", "-200", "-t", session).out;
    }

    /** Polls the pane until {@code ok} holds, at most {@code seconds}. */
    private void await(String what, Predicate<String> ok, int seconds) throws Exception {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        String s = "";
        while (System.nanoTime() < end) {
            s = screen();
            if (ok.test(s)) {
                return;
            }
            Thread.sleep(100);
        }
        Path e = home.resolve("stderr");
        fail("timed out waiting for " + what + "; screen:\n" + s + (Files.exists(e) ? "\nstderr:\n" + Files.readString(e) : ""));
    }

    private record Exec(int code, String out) { }

    /** A private tmux server: the test never touches the user's sessions. */
    static final String SOCKET = "wirelab-test-" + ProcessHandle.current().pid();

    private static Exec tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", SOCKET, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        return exec(cmd.toArray(String[]::new));
    }

    private static Exec exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Exec(p.waitFor(), out);
    }
}
