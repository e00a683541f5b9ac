package dev.wirelab.cli.shell;

import dev.wirelab.cli.Main;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shell's evaluation, completion, help and save, without a terminal. */
class ShellSessionTest {
    static ShellSession session;

    @BeforeAll
    static void start() {
        session = new ShellSession(new PrintStream(new ByteArrayOutputStream(), true), 200L << 20);
        assertEquals(ShellSession.Outcome.Kind.VALUE, session.eval("lab.boot()").kind());
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void variablesPersistDefIsLineLocalErrorsDoNotEndTheSession() {
        assertEquals("42", session.eval("answer = 42").text());
        assertEquals("43", session.eval("answer + 1").text());
        session.eval("def local = 1");
        ShellSession.Outcome missing = session.eval("local");
        assertEquals(ShellSession.Outcome.Kind.ERROR, missing.kind());
        assertTrue(missing.text().contains("no variable or property 'local'"), missing.text());
        assertEquals(ShellSession.Outcome.Kind.ERROR, session.eval("1 +* 2").kind());
        assertEquals(ShellSession.Outcome.Kind.INCOMPLETE, session.eval("x = [1,").kind());
        assertEquals(ShellSession.Outcome.Kind.INCOMPLETE, session.eval("if (true) {").kind());
        assertEquals("1\n2", session.eval("y = [1,\n2]").text());
    }

    @Test
    void helpForEachObject() {
        assertTrue(session.eval("help").text().contains("lab regs mem sym console trace net sys"));
        for (String o : ScriptHost.VIEWS) {
            String h = session.eval("help " + o).text();
            assertTrue(h.startsWith(o + ":"), h);
        }
        assertTrue(session.eval("help nothing").text().startsWith("no help for 'nothing'"));
    }

    @Test
    void completesMembersSymbolsRegistersAndPaths(@TempDir Path dir) throws Exception {
        LabCompleter c = new LabCompleter(session.host());
        assertTrue(values(c.candidates("lab.ru", "lab.ru")).contains("lab.run"));
        assertTrue(values(c.candidates("println(lab.con", "println(lab.con")).contains("println(lab.console"));
        assertTrue(values(c.candidates("sym.tcp_inp", "sym.tcp_inp")).contains("sym.tcp_input"));
        assertTrue(values(c.candidates("regs.x1", "regs.x1")).contains("regs.x10"));
        assertTrue(values(c.candidates("until('tcp_inp", "until('tcp_inp")).contains("until('tcp_input"));
        assertTrue(values(c.candidates("exp", "exp")).contains("expect"));
        Files.writeString(dir.resolve("repro-file.groovy"), "");
        String partial = dir + "/repro-f";
        assertTrue(values(c.candidates("save " + partial, partial)).contains(dir + "/repro-file.groovy"));
    }

    private static List<String> values(List<Candidate> cs) {
        return cs.stream().map(Candidate::value).toList();
    }

    @Test
    void unboundedAllocationIsStoppedAndTheShellKeepsWorking() {
        ShellSession.Outcome o = session.eval("hog = []; while (true) { hog << new byte[1 << 20] }");
        assertEquals(ShellSession.Outcome.Kind.ERROR, o.kind());
        assertTrue(o.text().contains("MiB of heap"), o.text());
        assertEquals(ShellSession.Outcome.Kind.ERROR, session.eval("hog.size()").kind()); // the hog was dropped
        assertEquals("2", session.eval("1 + 1").text());
    }

    @Test
    void failingExpectationIsShownAndStateKept() {
        ShellSession.Outcome o = session.eval("expect(flags: 'S.', within: ms(5))");
        assertEquals(ShellSession.Outcome.Kind.ERROR, o.kind());
        assertTrue(o.text().contains("expect failed: no packet from the guest"), o.text());
        assertTrue(session.lab().isBooted());
    }

    @Test
    void savedSessionReplaysToTheSameTraceHash(@TempDir Path dir) throws Exception {
        try (ShellSession s = new ShellSession(new PrintStream(new ByteArrayOutputStream(), true), 0)) {
            s.eval("lab.boot()");
            s.eval("inject tcp(flags: 'S', mss: 1460)");
            s.eval("expect flags: 'S.', seq: 0, ack: 1");
            s.eval("nosuch.thing()");                       // fails: not saved
            s.eval("inject tcp(flags: '.', seq: 1, ack: 1)");
            s.eval("n = 3");
            s.eval("n.times { tick(); run(100_000) }");
            s.eval("advance(ms: 50)");
            Path repro = dir.resolve("repro.groovy");
            assertEquals(ShellSession.Outcome.Kind.VALUE, s.eval("save " + repro).kind());
            String text = Files.readString(repro);
            assertTrue(!text.contains("nosuch"), text);
            String hash = s.lab().trace.getHash();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new String[]{"run", repro.toString(), "--trace-hash"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, code, out.toString(StandardCharsets.UTF_8));
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("trace-hash: " + hash), out + " vs " + hash);
        }
    }

    @Test
    void savedSessionReplaysInputsThatFailedOrWereInterruptedAfterRunningTheGuest(@TempDir Path dir) throws Exception {
        try (ShellSession s = new ShellSession(new PrintStream(new ByteArrayOutputStream(), true), 0)) {
            s.eval("boot()");
            s.eval("nosuch.thing()");                                          // changed nothing: not saved
            assertEquals(ShellSession.Outcome.Kind.ERROR, s.eval("inject tcp(flags: 'S'); expect flags: 'R'").kind());
            assertEquals(ShellSession.Outcome.Kind.ERROR, s.eval("expect(flgs: '*')").kind());
            Thread stopper = new Thread(() -> {
                try {
                    Thread.sleep(1500);   // long enough for the line to compile and the guest to start running
                } catch (InterruptedException e) {
                    return;
                }
                s.interrupt();
            });
            stopper.start();
            ShellSession.Outcome o = s.eval("tick(); until { false }");
            stopper.join();
            assertEquals(ShellSession.Outcome.Kind.ERROR, o.kind(), o.text());
            s.eval("advance(ms: 5)");
            Path repro = dir.resolve("again.groovy");
            assertEquals(ShellSession.Outcome.Kind.VALUE, s.eval("save " + repro).kind());
            String text = Files.readString(repro);
            assertTrue(!text.contains("nosuch"), text);
            assertTrue(text.contains("// failed in the session (expect failed"), text);
            assertTrue(text.contains("// interrupted in the session after "), text);
            String hash = s.lab().trace.getHash();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new String[]{"run", repro.toString(), "--trace-hash"},
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
            assertEquals(0, code, out.toString(StandardCharsets.UTF_8) + "\n" + text);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains("trace-hash: " + hash), out + " vs " + hash + "\n" + text);
        }
    }

    @Test
    void aMisspelledArgumentIsOneLineInTheShell() {
        ShellSession.Outcome o = session.eval("tcp(flgs: 'S')");
        assertEquals(ShellSession.Outcome.Kind.ERROR, o.kind());
        assertEquals("tcp: unknown argument 'flgs' (did you mean 'flags'?)", o.text());
    }

    @Test
    void bareRunInTheShellRunsTheGuestOnce() {
        session.eval("boot()");
        session.eval("a = lab.instructions");
        session.eval("run(1000)");
        assertEquals("1000", session.eval("lab.instructions - a").text());
    }

    @Test
    void loadRunsAScriptSandboxedUnlessTrusted(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.groovy");
        Files.writeString(bad, "x = 1\nnew File('/etc/passwd').text\n");
        ShellSession.Outcome o = session.eval("load " + bad);
        assertEquals(ShellSession.Outcome.Kind.ERROR, o.kind());
        assertTrue(o.text().startsWith("bad.groovy:2: sandbox: new java.io.File is not allowed"), o.text());
        assertEquals(ShellSession.Outcome.Kind.VALUE, session.eval("load --trusted " + bad).kind());
        Path ok = dir.resolve("ok.groovy");
        Files.writeString(ok, "loadedValue = 6 * 7\n");
        session.eval("load " + ok);
        assertEquals("42", session.eval("loadedValue").text());
        assertTrue(session.recorded().stream().anyMatch(r -> r.contains("loadedValue = 6 * 7")), session.recorded().toString());
    }
}
