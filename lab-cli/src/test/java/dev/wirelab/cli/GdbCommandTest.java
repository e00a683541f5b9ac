package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code wirelab boot --gdb}: real gdb-multiarch drives the guest, and bad --gdb input is one line and exit 2. */
class GdbCommandTest {
    @TempDir
    Path dir;

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String gdb(String elf, int port, String... commands) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("gdb-multiarch", "--batch", "-nx",
                "-ex", "set architecture aarch64", "-ex", "file " + elf,
                "-ex", "set tcp connect-timeout 300", // the stub listens once the guest booted: GDB retries till then
                "-ex", "target remote 127.0.0.1:" + port));
        for (String c : commands) {
            cmd.add("-ex");
            cmd.add(c);
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    /** Debian's gdb-multiarch (scripts/setup installs it). */
    private static boolean gdbInstalled() {
        return java.nio.file.Files.isExecutable(Path.of("/usr/bin/gdb-multiarch"));
    }

    @Test
    void gdbWaitHoldsTheGuestThenItRunsToItsOwnExit() throws Exception {
        assumeTrue(gdbInstalled(), "gdb-multiarch is not installed");
        String elf = Cli.guest(dir, "semihost_exit.elf");
        int port = freePort();
        CompletableFuture<Cli.Result> boot = CompletableFuture.supplyAsync(
                () -> Cli.run("boot", elf, "--gdb", "127.0.0.1:" + port, "--gdb-wait"));
        // GDB retries its connection until the stub listens (set tcp auto-retry, on by default).
        String out = gdb(elf, port, "printf \"pc=%lx\\n\", $pc", "stepi", "printf \"pc2=%lx\\n\", $pc",
                "reverse-stepi", "printf \"pc3=%lx\\n\", $pc", "detach");
        Cli.Result r = boot.get(120, TimeUnit.SECONDS);
        assertTrue(out.contains("pc=40"), out);
        String pc = out.lines().filter(l -> l.startsWith("pc=")).findFirst().orElseThrow();
        String pc3 = out.lines().filter(l -> l.startsWith("pc3=")).findFirst().orElseThrow();
        assertEquals(pc.substring(3), pc3.substring(4), out);
        assertTrue(r.err().contains("gdb: waiting for GDB on 127.0.0.1:" + port), r.toString());
        assertTrue(r.err().contains("GDB detached"), r.toString());
        // semihost_exit exits with its own code once GDB lets it go (the same as without --gdb)
        assertEquals(Cli.run("boot", elf).code(), r.code(), r.toString());
    }

    @Test
    void badGdbAddressIsOneLineAndExit2() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--gdb", "nope");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("[HOST:]PORT"), r.toString());
    }

    @Test
    void gdbWaitWithoutGdbIsExit2() {
        Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--gdb-wait");
        assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
        assertTrue(r.err().contains("--gdb"), r.toString());
    }

    @Test
    void busyPortIsExit2WithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result r = Cli.run("boot", Cli.guest(dir, "hello.elf"), "--gdb", "127.0.0.1:" + taken.getLocalPort());
            assertEquals(ExitCodes.BAD_INPUT, r.code(), r.toString());
            assertTrue(r.err().contains("choose another port"), r.toString());
        }
    }

    /** The session in docs/REFERENCE.md (GDB): scripts/gdb-echo.groovy lends the default guest to scripts/gdb-echo.gdb mid-echo. */
    @Test
    void echoScriptSessionBreaksInTcpInputGoesBackAndForthAndTheScriptGoesOn() throws Exception {
        assumeTrue(gdbInstalled(), "gdb-multiarch is not installed");
        Path elf = dir.resolve("wirelab-guest.elf");
        try (var in = getClass().getResourceAsStream("/guest/kernel/wirelab-guest.elf")) {
            java.nio.file.Files.write(elf, in.readAllBytes());
        }
        int port = freePort();
        CompletableFuture<Cli.Result> run = CompletableFuture.supplyAsync(() -> Cli.run("run",
                RunCommandTest.SCRIPTS.resolve("gdb-echo.groovy").toString(), String.valueOf(port)));
        java.util.List<String> commands = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(RunCommandTest.SCRIPTS.resolve("gdb-echo.gdb"))) {
            if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("target remote")
                    && !line.startsWith("set architecture")) {
                commands.add(line);
            }
        }
        String out = gdb(elf.toString(), port, commands.toArray(String[]::new));
        if (!out.contains("detached")) {
            new java.net.Socket("127.0.0.1", port).close(); // let the script's lab.gdb() go on, then fail
            throw new AssertionError("the GDB session did not complete:\n" + out);
        }
        Cli.Result r = run.get(180, TimeUnit.SECONDS);
        assertEquals(0, r.code(), r + "\n--- gdb\n" + out);
        assertTrue(out.contains("dest = 0x700"), out); // port 7, big-endian in the header
        java.util.List<String> pcs = out.lines().filter(l -> l.startsWith("pc ")).toList();
        assertEquals(3, pcs.size(), out);
        assertEquals(pcs.get(0), pcs.get(2), out);
        java.util.List<String> hashes = out.lines().filter(l -> l.startsWith("trace hash")).toList();
        assertEquals(2, hashes.size(), out);
        assertEquals(hashes.get(0), hashes.get(1), out);
        assertTrue(r.out().contains("echo ok after GDB"), r.toString());
    }
}
