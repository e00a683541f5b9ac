package dev.wirelab.cli.shell;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import groovy.lang.Script;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shell without the terminal: evaluates one input (Groovy or a shell
 * command) against the persistent binding, remembers the inputs that
 * succeeded for {@code save}, and never lets a bad input end the session.
 */
public final class ShellSession implements AutoCloseable {
    /** What one input did. */
    public record Outcome(Kind kind, String text) {
        public enum Kind { VALUE, NOTHING, ERROR, INCOMPLETE, EXIT }
    }

    static final String SHELL_FILE = "shell";

    private final Lab lab;
    private final ScriptHost host;
    private final PrintStream out;
    private final List<String> recorded = new ArrayList<>();
    private final long heapLimit;
    private int consoleMark;
    private volatile Thread evaluating;

    public ShellSession(PrintStream out, long heapLimit) {
        this.lab = new Lab();
        this.host = new ScriptHost(lab, List.of(), out);
        this.out = out;
        this.heapLimit = heapLimit > 0 ? heapLimit : HeapGuard.defaultLimit();
    }

    public Lab lab() {
        return lab;
    }

    public ScriptHost host() {
        return host;
    }

    /** The inputs that succeeded, in order (what {@code save} writes). */
    public List<String> recorded() {
        return List.copyOf(recorded);
    }

    /** Ctrl-C from another thread: stops a running guest and a running script line. */
    public void interrupt() {
        lab.interrupt();
        Thread t = evaluating;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Console output the guest printed since the last call. */
    public String newConsoleOutput() {
        String text = lab.console.getText();
        if (consoleMark > text.length()) {
            consoleMark = 0; // a restore went back in time
        }
        String s = text.substring(consoleMark);
        consoleMark = text.length();
        return s;
    }

    public Outcome eval(String input) {
        String src = input.strip();
        if (src.isEmpty()) {
            return new Outcome(Outcome.Kind.NOTHING, "");
        }
        if (src.equals("exit") || src.equals("quit")) {
            return new Outcome(Outcome.Kind.EXIT, "");
        }
        if (src.equals("help") || src.startsWith("help ")) {
            return new Outcome(Outcome.Kind.VALUE, Help.text(src.substring(4).strip(), host));
        }
        if (src.startsWith("save ") || src.equals("save")) {
            return save(src.substring(4).strip());
        }
        if (src.startsWith("load ") || src.equals("load")) {
            return load(src.substring(4).strip());
        }
        Script script;
        try {
            script = host.parse(input, SHELL_FILE);
        } catch (MultipleCompilationErrorsException e) {
            if (ScriptHost.unfinished(e, input)) {
                return new Outcome(Outcome.Kind.INCOMPLETE, "");
            }
            return new Outcome(Outcome.Kind.ERROR, ScriptHost.compileError(e, "line").replaceFirst("^line:1: ", ""));
        }
        return execute(script, input.strip());
    }

    /**
     * {@code load FILE}: runs a script file in this session, compiled under the sandbox (a repro from
     * someone else) unless {@code load --trusted FILE}; {@code save} then holds its text.
     */
    public Outcome load(String arg) {
        boolean trusted = arg.startsWith("--trusted");
        String name = (trusted ? arg.substring(9) : arg).strip().replaceAll("^['\"]|['\"]$", "");
        if (name.isEmpty()) {
            return new Outcome(Outcome.Kind.ERROR, "load FILE: name the script to run, e.g. load repro.groovy (sandboxed; "
                    + "load --trusted FILE for your own)");
        }
        String text;
        try {
            text = Files.readString(Path.of(name), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new Outcome(Outcome.Kind.ERROR, "cannot read " + name + ": " + e.getMessage());
        }
        String unit = ScriptHost.unitName(Path.of(name).getFileName().toString());
        Script script;
        try {
            script = trusted ? host.parse(text, unit) : host.parseSandboxed(text, unit);
        } catch (MultipleCompilationErrorsException e) {
            return new Outcome(Outcome.Kind.ERROR, ScriptHost.compileError(e, unit));
        }
        return execute(script, "// loaded from " + name + (trusted ? " (trusted)" : "") + "\n" + text.strip());
    }

    private Outcome execute(Script script, String input) {
        Map<String, Object> before = new HashMap<>(host.binding().getVariables());
        Mark mark = mark();
        boolean[] heapFired = new boolean[1];
        Thread me = Thread.currentThread();
        evaluating = me;
        try (HeapGuard guard = new HeapGuard(me, heapLimit, () -> {
            heapFired[0] = true;
            lab.interrupt();
        })) {
            Object value = script.run();
            recorded.add(input);
            return value == null ? new Outcome(Outcome.Kind.NOTHING, "") : new Outcome(Outcome.Kind.VALUE, show(value));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && !(t instanceof OutOfMemoryError || t instanceof StackOverflowError)) {
                throw (VirtualMachineError) t;
            }
            recordFailed(input, t, heapFired[0], mark, before);
            if (t instanceof OutOfMemoryError || heapFired[0]) {
                restoreBinding(before);
                return new Outcome(Outcome.Kind.ERROR, "stopped: the line used more than " + (heapLimit >> 20)
                        + " MiB of heap (unbounded allocation?); variables it changed were reset");
            }
            return new Outcome(Outcome.Kind.ERROR, describe(t));
        } finally {
            host.endOutput();
            evaluating = null;
            lab.clearInterrupt();
            Thread.interrupted(); // an interrupt that arrived late must not hit the next line
        }
    }

    /** What a failed input may have changed: the guest's run, its trace, what is scheduled for it, breakpoints. */
    private record Mark(long spent, String hash, long scheduled, String breakpoints) { }

    private Mark mark() {
        if (!lab.isBooted()) {
            return new Mark(lab.getSpent(), "", 0, "");
        }
        return new Mark(lab.getSpent(), lab.trace.getHash(), lab.getBoard().events().save().nextSeq(),
                lab.getBreakpoints().toString());
    }

    /**
     * A failed input still goes into {@code save} when it changed something a later input sees (it ran
     * the guest, scheduled a frame or a tick, set a breakpoint or a variable), so the saved script
     * replays to the same trace: a deterministic failure replays inside try/catch; an interruption
     * (Ctrl-C, the heap guard) stopped the guest at an instruction no rerun would find by itself, so
     * the replay runs the input with a budget of exactly the instructions it retired.
     */
    private void recordFailed(String input, Throwable t, boolean heapFired, Mark mark, Map<String, Object> before) {
        boolean bindingChanged = !host.binding().getVariables().equals(before);
        if (mark.equals(mark()) && !bindingChanged) {
            return;
        }
        String why = describe(t).lines().findFirst().orElse("").replace("*/", "* /");
        boolean interrupted = heapFired || t instanceof InterruptedException || t instanceof OutOfMemoryError
                || t instanceof LabFailure f && f.kind() == LabFailure.Kind.INTERRUPTED;
        long ran = lab.getSpent() - mark.spent();
        if (interrupted && ran == 0) {
            recorded.add("/* interrupted in the session before the guest ran; not replayed: " + why + " */\n// "
                    + input.replace("\n", "\n// "));
        } else if (interrupted) {
            recorded.add("// interrupted in the session after " + ran + " guest instructions: replayed to the same instruction\n"
                    + "_budget = lab.budget; lab.budget = " + ran + "L\n"
                    + "try {\n" + input + "\n} catch (LabFailure stopped) {\n} finally {\n    lab.budget = _budget - " + ran + "L\n}");
        } else {
            recorded.add("// failed in the session (" + why + "): replayed for what it did before failing\n"
                    + "try {\n" + input + "\n} catch (Throwable failed) {\n}");
        }
    }

    private void restoreBinding(Map<String, Object> before) {
        @SuppressWarnings("unchecked")
        Map<String, Object> vars = host.binding().getVariables();
        vars.clear();
        vars.putAll(before);
        System.gc();
    }

    static String describe(Throwable t) {
        if (t instanceof LabFailure f) {
            String w = f.where() != null && f.where().startsWith(SHELL_FILE + ":") ? "" : f.where() == null ? "" : f.where() + ": ";
            return switch (f.kind()) {
                case INTERRUPTED -> "interrupted: " + f.getMessage() + " (state kept)";
                default -> w + f.getMessage();
            };
        }
        if (t instanceof InterruptedException) {
            return "interrupted (state kept)";
        }
        if (t instanceof dev.wirelab.emulator.lab.BadArgument b) {
            return b.where() != null && !b.where().startsWith(SHELL_FILE + ":") ? b.where() + ": " + b.getMessage() : b.getMessage();
        }
        if (t instanceof groovy.lang.MissingPropertyException mp) {
            return "no variable or property '" + mp.getProperty() + "' (try: help)";
        }
        if (t instanceof groovy.lang.MissingMethodException mm) {
            return "no method " + mm.getMethod() + " with these arguments on " + mm.getType().getSimpleName() + " (try: help)";
        }
        if (t instanceof StackOverflowError) {
            return "stack overflow (unbounded recursion?)";
        }
        String m = t.getMessage();
        return t.getClass().getSimpleName() + ": " + (m == null ? "" : m.strip());
    }

    static String show(Object value) {
        if (value instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("bytes[" + b.length + "]:");
            for (int i = 0; i < Math.min(b.length, 64); i++) {
                sb.append(String.format(" %02x", b[i]));
            }
            return sb.append(b.length > 64 ? " ..." : "").toString();
        }
        if (value instanceof Long || value instanceof Integer) {
            long v = ((Number) value).longValue();
            return v > 0xffff || v < 0 ? String.format("%d (0x%x)", v, v) : String.valueOf(v);
        }
        if (value instanceof List<?> l) {
            StringBuilder sb = new StringBuilder();
            for (Object o : l) {
                sb.append(o).append('\n');
            }
            return l.isEmpty() ? "[]" : sb.toString().stripTrailing();
        }
        return String.valueOf(value);
    }

    /** Writes the successful inputs as a script that {@code wirelab run} replays exactly. */
    public Outcome save(String file) {
        if (file.isEmpty()) {
            return new Outcome(Outcome.Kind.ERROR, "save FILE: name the script to write, e.g. save repro.groovy");
        }
        String name = file.replaceAll("^['\"]|['\"]$", "");
        StringBuilder sb = new StringBuilder();
        sb.append("// Saved from a wirelab shell session: the inputs that succeeded, in order.\n");
        sb.append("// Replay: ./wirelab run ").append(name).append('\n');
        for (String line : recorded) {
            sb.append(line).append('\n');
        }
        try {
            Files.writeString(Path.of(name), sb.toString(), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return new Outcome(Outcome.Kind.ERROR, "cannot write " + name + ": " + e.getMessage());
        }
        return new Outcome(Outcome.Kind.VALUE, "saved " + recorded.size() + " inputs to " + name);
    }

    @Override
    public void close() {
        lab.close();
    }
}
