package dev.wirelab.cli;

import dev.wirelab.emulator.lab.ImageDigest;
import dev.wirelab.emulator.lab.Lab;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wirelab run} on scripts that misuse the verbs, try to leave the sandbox, or carry a repro
 * header: bad input is exit 2 with one line naming the script line; repro headers are checked.
 */
class ScriptArgumentsTest {
    @TempDir
    Path dir;

    private String script(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p.toString();
    }

    private static Cli.Result run(String... args) {
        return Cli.command("run", args);
    }

    @Test
    void aMisspelledArgumentIsBadInputWithTheSuggestion() throws IOException {
        Cli.Result r = run(script("flgs.groovy", "boot(); expect(flgs: 'S.')\n"));
        assertEquals(2, r.code(), r.toString());
        assertEquals("wirelab: flgs.groovy:1: expect: unknown argument 'flgs' (did you mean 'flags'?)", r.err().strip(), r.toString());
    }

    @Test
    void aWrongValueKindIsBadInput() throws IOException {
        Cli.Result r = run(script("within.groovy", "boot()\ninject tcp(flags: 'S')\nexpect flags: 'S.', within: 'abc'\n"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("within.groovy:3: expect: argument 'within' must be a duration in ticks (e.g. ms(10)), got String 'abc'"),
                r.toString());
    }

    @Test
    void bareRunRunsTheGuestOnceAndDoesNotRestartTheScript() throws IOException {
        Cli.Result r = run(script("bare.groovy", """
                println 'script start'
                boot()
                a = lab.instructions
                run(1000)
                println "ran ${lab.instructions - a}"
                breakpoint('tcp_input')
                inject tcp(flags: 'S')
                s = run()
                println "stopped: ${s.reason} at ${s.where}"
                step()
                """));
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.out().lines().filter(l -> l.equals("script start")).count(), r.toString());
        assertTrue(r.out().contains("ran 1000\n"), r.toString());
        assertTrue(r.out().contains("stopped: breakpoint at tcp_input"), r.toString());
    }

    @Test
    void aLongFdFromOrThrowPassesToSys() throws IOException {
        Cli.Result r = run(script("sockets.groovy", """
                boot()
                fd = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
                assert fd instanceof Long
                sys.bind(0, fd, '0.0.0.0', 9000).orThrow()
                sys.listen(0, fd, 4).orThrow()
                println 'listening'
                """));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("listening"), r.toString());
    }

    @Test
    void readingAFileIsRefusedOnItsLine() throws IOException {
        Cli.Result r = run(script("x.groovy", "new File(\"/etc/passwd\").text\n"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("wirelab: x.groovy:1: sandbox: new java.io.File is not allowed"), r.toString());
        assertFalse(r.out().contains("root:"), r.toString());
    }

    @Test
    void runningAProcessIsRefusedOnItsLine() throws IOException {
        Cli.Result r = run(script("id.groovy", "println 'hi'\n\"id\".execute()\n"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("wirelab: id.groovy:2: sandbox: method 'execute' is not allowed"), r.toString());
        assertFalse(r.out().contains("hi"), "nothing of a refused script runs: " + r);
    }

    @Test
    void trustedTurnsTheSandboxOffAndSaysSo() throws IOException {
        Cli.Result r = run(script("own.groovy", "println new File('/').isDirectory()\n"), "--trusted");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("true"), r.toString());
        assertTrue(r.err().contains("--trusted: the sandbox is off"), r.toString());
    }

    @Test
    void aBootImageOutsideTheAllowedFoldersIsRefused() throws IOException {
        Cli.Result r = run(script("img.groovy", "boot(image: '/etc/hostname')\n"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("img.groovy:1: boot image /etc/hostname is outside the folders"), r.toString());
    }

    @Test
    void aScriptCannotRaiseItsBudget() throws IOException {
        Cli.Result r = run(script("raise.groovy", "lab.budget = 1_000_000_000_000\nprintln lab.budget\n"), "--max-insns", "5000");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("5000\n"), r.toString());
    }

    private static String header(String sha, String expect, String hash) {
        return "// wirelab-repro: 1\n// title: boots\n// made-with: wirelab " + Version.wirelab() + "\n// guest: default sha256="
                + sha + "\n// board: \n// expect: " + expect + "\n// trace-hash: " + hash + "\n";
    }

    @Test
    void aReproHeaderThatMatchesSaysNothing() throws IOException {
        Cli.Result first = run(script("clean.groovy", "boot()\n"), "--trace-hash");
        String hash = first.out().lines().filter(l -> l.startsWith("trace-hash: ")).findFirst().orElseThrow().substring(12);
        String sha = ImageDigest.of("default", Lab.defaultGuestBytes()).sha256();
        Cli.Result r = run(script("same.groovy", header(sha, "not-reproduced", hash) + "boot()\n"));
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err().strip(), r.toString());
    }

    @Test
    void aReproHeaderNamesTheOtherImageAndTheOtherOutcome() throws IOException {
        String other = "0".repeat(64);
        Cli.Result r = run(script("differs.groovy", header(other, "reproduced", other) + "boot()\n"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("repro was made with guest default sha256=" + other + "; this run uses default sha256="), r.toString());
        assertTrue(r.err().contains("repro recorded 'reproduced' but this run did not reproduce the bug"), r.toString());
    }

    @Test
    void aMalformedReproHeaderIsBadInput() throws IOException {
        Cli.Result r = run(script("bad.groovy", "// wirelab-repro: 1\n// title: x\nboot()\n"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("bad repro header"), r.toString());
    }

    @Test
    void aFinalPrintWithoutNewlineIsShown() throws IOException {
        Cli.Result r = run(script("tail.groovy", "println 'first'\nprint 'last words'\n"));
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("first\nlast words\nok: tail.groovy"), r.toString());
    }
}
