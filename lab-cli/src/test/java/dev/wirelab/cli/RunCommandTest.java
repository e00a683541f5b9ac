package dev.wirelab.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wirelab run}: the example scripts pass, and every kind of bad script gets its exit code and message. */
class RunCommandTest {
    static final Path SCRIPTS = Path.of(System.getProperty("wirelab.root", "..")).resolve("scripts");

    @TempDir
    Path dir;

    private Path script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Cli.Result run(String... args) {
        return Cli.command("run", args);
    }

    @Test
    void handshakeExamplePassesAndRepeatsExactly() {
        Cli.Result r = run(SCRIPTS.resolve("handshake.groovy").toString(), "--trace-hash");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("handshake, echo and close: ok"), r.toString());
        Cli.Result again = run(SCRIPTS.resolve("handshake.groovy").toString(), "--trace-hash");
        String hash = r.out().lines().filter(l -> l.startsWith("trace-hash: ")).findFirst().orElseThrow();
        assertTrue(again.out().contains(hash), again.toString());
    }

    @Test
    void bulkExampleEchoesEverything() {
        Cli.Result r = run(SCRIPTS.resolve("bulk.groovy").toString(), "65536");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("bulk: 65536 bytes echoed intact"), r.toString());
    }

    @Test
    void preemptExampleStopsInTcpInputAndTheConnectionSurvives() {
        Cli.Result r = run(SCRIPTS.resolve("preempt.groovy").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("stopped at tcp_input"), r.toString());
        assertTrue(r.out().contains("the connection still works"), r.toString());
    }

    @Test
    void replayExampleReplaysARecordedExchangeConsistently() {
        Cli.Result r = run(SCRIPTS.resolve("replay.groovy").toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("guest 4 segments (recorded 4): consistent"), r.toString());
        assertTrue(r.out().contains("the guest answered as the recorded server did"), r.toString());
    }

    @Test
    void failedExpectPrintsAReportWithLineExpectedActualAndRerun() throws IOException {
        Path p = script("wrong.groovy", "boot()\ninject tcp(flags: 'S')\nexpect flags: 'S.', seq: 0, ack: 7\n");
        Cli.Result r = run(p.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("Script: wrong.groovy:3"), r.toString());
        assertTrue(r.out().contains("expected: tcp flags S. seq 0 ack 7"), r.toString());
        assertTrue(r.out().contains("actual:   tcp sport 7 dport 40000 flags S. seq 0 ack 1"), r.toString());
        assertTrue(r.out().contains("Last frames:"), r.toString());
        assertTrue(r.out().contains("Rerun: ./wirelab run " + p), r.toString());
    }

    @Test
    void captureRecordsTheRunsFramesAndAFailuresReportNamesIt() throws IOException {
        Path ok = script("echo.groovy", "boot()\ninject tcp(flags: 'S', dport: 7)\nexpect flags: 'S.'\n");
        Path pcap = dir.resolve("run.pcapng");
        Cli.Result r = run("--capture", pcap.toString(), ok.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("capture: " + pcap + " ("), r.toString());
        byte[] bytes = Files.readAllBytes(pcap);
        assertEquals(0x0A0D0D0A, java.nio.ByteBuffer.wrap(bytes, 0, 4).getInt(), "a pcapng section header");
        assertTrue(bytes.length > 200, "the SYN and the SYN-ACK are in it: " + bytes.length + " bytes");

        Path wrong = script("wrong.groovy", "boot()\ninject tcp(flags: 'S', dport: 7)\nexpect flags: 'R'\n");
        Cli.Result bad = run("--capture", pcap.toString(), wrong.toString());
        assertEquals(1, bad.code(), bad.toString());
        assertTrue(bad.out().contains("Capture: " + pcap), bad.toString());

        Cli.Result unwritable = run("--capture", dir.resolve("no/such/dir/x.pcapng").toString(), ok.toString());
        assertEquals(2, unwritable.code(), unwritable.toString());
    }

    @Test
    void reproducedIsExitOneWithTheTitle() throws IOException {
        Path p = script("repro.groovy", "boot()\nreproduced 'the window went backwards'\n");
        Cli.Result r = run(p.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("Title:  the window went backwards"), r.toString());
        assertTrue(r.out().contains("Result: bug reproduced"), r.toString());
    }

    @Test
    void guestPanicIsExitOneWithThePanicReport() throws IOException {
        // The crash= self-tests live only in the default guest's test build.
        Path testing = dir.resolve("wirelab-guest-testing.elf");
        try (InputStream in = RunCommandTest.class.getResourceAsStream("/guest/kernel/wirelab-guest-testing.elf")) {
            assertTrue(in != null, "the default guest's test build is missing");
            Files.write(testing, in.readAllBytes());
        }
        Cli.Result r = run(script("panic.groovy",
                "boot(image: '" + testing + "', bootargs: 'crash=assert', ready: true)\n").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("Title:  guest panic: lwIP assertion: selftest"), r.toString());
        assertTrue(r.out().contains("Guest panic:\n  !!! PANIC !!!\n  Location: "), r.toString());
    }

    @Test
    void groovyAssertIsACheck() throws IOException {
        Cli.Result r = run(script("a.groovy", "x = 1\nassert x == 2\n").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("assertion failed"), r.toString());
    }

    @Test
    void syntaxErrorIsExitTwoWithFileAndLine() throws IOException {
        Cli.Result r = run(script("syntax.groovy", "x = 1\ny = (2 +\n").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().matches("(?s)wirelab: syntax\\.groovy:\\d+: .+"), r.toString());
    }

    @Test
    void runtimeErrorIsExitTwoWithTheScriptLine() throws IOException {
        Cli.Result r = run(script("rt.groovy", "println 'a'\n\nnosuch.call()\n").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("rt.groovy:3: no variable or property 'nosuch'"), r.toString());
    }

    @Test
    void aScriptNamedLikeAKeywordStillRunsAndIsNamedAsWritten() throws IOException {
        Cli.Result r = run(script("long.groovy", "x = 100_000_000_000L\nnosuch.call()\n").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("wirelab: long.groovy:2: no variable or property 'nosuch'"), r.toString());
    }

    @Test
    void loopForeverIsStoppedByTheTimeLimit() throws IOException {
        Cli.Result r = run(script("loop.groovy", "x = 0\nwhile (true) { x++ }\n").toString(), "--timeout", "1");
        assertEquals(124, r.code(), r.toString());
        assertTrue(r.err().contains("loop.groovy:2: the script ran longer than its time limit of 1 s"), r.toString());
    }

    @Test
    void guestRunsAreBoundedByTheInstructionBudget() throws IOException {
        Cli.Result r = run(script("budget.groovy", "boot()\nwhile (true) { run(1_000_000) }\n").toString(),
                "--max-insns", "50_000_000");
        assertEquals(124, r.code(), r.toString());
        assertTrue(r.err().contains("budget.groovy:2: instruction budget exhausted"), r.toString());
    }

    @Test
    void unboundedAllocationIsStoppedWithAClearMessage() throws IOException {
        Cli.Result r = run(script("oom.groovy", "x = []\nwhile (true) { x << new byte[1 << 20] }\n").toString(),
                "--max-heap", "160M");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("used more than 160 MiB of heap"), r.toString());
    }

    @Test
    void missingScriptIsBadInput() {
        Cli.Result r = run(dir.resolve("none.groovy").toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("no such script"), r.toString());
    }
}
