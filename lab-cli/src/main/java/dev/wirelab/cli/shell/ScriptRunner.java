package dev.wirelab.cli.shell;

import dev.wirelab.cli.CaptureFile;
import dev.wirelab.cli.ExitCodes;
import dev.wirelab.cli.TraceHashOption;
import dev.wirelab.cli.Io;
import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.ImageDigest;
import dev.wirelab.emulator.lab.ReproHeader;
import dev.wirelab.emulator.lab.BadArgument;
import dev.wirelab.emulator.agent.AgentException;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import dev.wirelab.emulator.lab.Panic;
import dev.wirelab.emulator.lab.ScriptLine;
import groovy.lang.Script;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs one script file to an exit code: 0 the checks passed, 1 an expectation
 * failed / the bug reproduced / the guest panicked (with a report fit for a bug
 * tracker), 2 a script error (file:line), 124 the budget or the time limit ran
 * out, 130 Ctrl-C.
 */
public final class ScriptRunner {
    /** How a script ended. */
    public record Result(int exitCode, String traceHash) { }

    /** Limits: guest instructions, wall-clock seconds for the script (0: none), heap bytes (0: default). */
    /** {@code gdbPort} >= 0: {@code lab.gdb()} serves there, and a script that never called it lends its end state. */
    public record Limits(long maxInstructions, long timeoutSeconds, long heapBytes, int gdbPort,
                         java.nio.file.Path capture) {
        public Limits(long maxInstructions, long timeoutSeconds, long heapBytes, int gdbPort) {
            this(maxInstructions, timeoutSeconds, heapBytes, gdbPort, null);
        }

        public Limits(long maxInstructions, long timeoutSeconds, long heapBytes) {
            this(maxInstructions, timeoutSeconds, heapBytes, -1);
        }
    }

    private ScriptRunner() { }

    /** What ended a script thread, classified (shared with the shell). */
    record Ending(int code, String message) { }

    /**
     * Who the script is trusted as: {@code trusted} compiles it as full Groovy; otherwise it is
     * sandboxed ({@link ScriptSandbox}), its limits are locked, and the lab API's files are confined
     * to {@code fileRoots}.
     */
    public record Trust(boolean trusted, List<java.nio.file.Path> fileRoots) {
        public static final Trust TRUSTED = new Trust(true, List.of());
    }

    public static Result run(String shownName, String text, List<String> args, Limits limits, Io io, String rerun,
                             boolean printHash) {
        return run(shownName, text, args, limits, io, rerun, printHash, Trust.TRUSTED);
    }

    public static Result run(String shownName, String text, List<String> args, Limits limits, Io io, String rerun,
                             boolean printHash, Trust trust) {
        String fileName = ScriptHost.unitName(shownName);
        PrintStream out = renaming(io.out(), fileName, shownName);
        PrintStream err = renaming(io.err(), fileName, shownName);
        ReproHeader header;
        try {
            header = ReproHeader.parse(text).orElse(null);
        } catch (ReproHeader.Malformed e) {
            err.println("wirelab: " + shownName + ": bad repro header: " + e.getMessage());
            return new Result(ExitCodes.BAD_INPUT, "");
        }
        try (Lab lab = new Lab()) {
            lab.setBudget(limits.maxInstructions());
            lab.setGdbPort(limits.gdbPort());
            lab.setCaptureFile(limits.capture());
            if (!trust.trusted()) {
                lab.lockBudget();
                lab.confineFiles(trust.fileRoots());
            }
            ScriptHost host = new ScriptHost(lab, args, out, !trust.trusted());
            Script script;
            try {
                script = host.parse(text, fileName);
            } catch (MultipleCompilationErrorsException e) {
                err.println("wirelab: " + ScriptHost.compileError(e, fileName));
                return new Result(ExitCodes.BAD_INPUT, "");
            }
            Throwable[] thrown = new Throwable[1];
            Thread t = new Thread(null, () -> {
                try {
                    script.run();
                } catch (Throwable x) {
                    thrown[0] = x;
                }
            }, "wirelab-script", 256L << 20);
            String[] why = new String[1];
            SignalHandler previous = null;
            Signal sigint = new Signal("INT");
            if (io.process()) {
                previous = Signal.handle(sigint, s -> {
                    if (why[0] != null) {
                        Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                    }
                    why[0] = "ctrl-c";
                    lab.interrupt();
                    t.interrupt();
                });
            }
            long heap = limits.heapBytes() > 0 ? limits.heapBytes() : HeapGuard.defaultLimit();
            try (HeapGuard guard = new HeapGuard(t, heap, () -> {
                why[0] = "heap";
                lab.interrupt();
            })) {
                t.start();
                try {
                    if (limits.timeoutSeconds() > 0) {
                        t.join(limits.timeoutSeconds() * 1000);
                        if (t.isAlive()) {
                            why[0] = "timeout";
                            lab.interrupt();
                            t.interrupt();
                        }
                    }
                    t.join(limits.timeoutSeconds() > 0 ? 10_000 : 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (t.isAlive()) {
                    err.println("wirelab: " + fileName + ": the script did not stop within 10 s of being interrupted"
                            + " (a call that ignores interrupts)");
                    return new Result(ExitCodes.BUDGET_EXHAUSTED, "");
                }
            } finally {
                if (previous != null) {
                    Signal.handle(sigint, previous);
                }
            }
            host.endOutput();
            if (limits.gdbPort() >= 0 && lab.isBooted() && !lab.getGdbServed() && why[0] == null) {
                lab.gdb(); // post-mortem: the script's end state, for GDB to look at
            }
            Ending end = classify(thrown[0], why[0], fileName, limits, heap);
            String hash = lab.isBooted() ? lab.trace.getHash() : "";
            if (guestPanicDecides(end, thrown[0], lab)) {
                end = new Ending(1, "guest panicked: " + lab.getPanic().title());
            }
            if (end.code() == 1) {
                report(out, fileName, end.message(), thrown[0], lab, rerun);
            } else if (end.code() == 0) {
                out.println("ok: " + fileName + (end.message() == null ? "" : " (" + end.message() + ")")
                        + (lab.isBooted() ? ": " + lab.getStatus() : ""));
            } else {
                err.println("wirelab: " + end.message());
            }
            if (printHash) {
                TraceHashOption.print(out, hash);
            }
            if (header != null && (end.code() == 0 || end.code() == 1)) {
                ImageDigest image = lab.getImageDigest();
                ReproHeader.Observed seen = new ReproHeader.Observed(dev.wirelab.cli.Version.wirelab(),
                        image == null ? null : image.name(), image == null ? null : image.sha256(), end.code() == 1, hash);
                header.differences(seen).forEach(d -> err.println("wirelab: " + d));
            }
            finishCapture(lab, out, err);
            out.flush();
            return new Result(end.code(), hash);
        }
    }

    /**
     * A guest panic is the run's verdict (exit 1) when the script ended normally, and also when the
     * panic cut off what the script was doing (a blocking {@code sys} call whose agent never returns):
     * that is the bug reproducing, not bad input. A script's own argument error stays exit 2.
     */
    static boolean guestPanicDecides(Ending end, Throwable thrown, Lab lab) {
        if (lab.getPanic() == null) {
            return false;
        }
        return (end.code() == 0 && thrown == null)
                || (end.code() == ExitCodes.BAD_INPUT && thrown instanceof AgentException);
    }

    /**
     * Ends the lab's {@code --capture} (closing the lab writes the file; closing twice is harmless) and
     * says where it went, or why it could not be written. Nothing when no capture was asked for.
     */
    static void finishCapture(Lab lab, PrintStream out, PrintStream err) {
        if (lab.getCaptureFile() == null) {
            return;
        }
        lab.close();
        CaptureFile.report(lab.getCaptureFile(), lab.getCapturedFrames(), " of the last boot", lab.getCaptureFailure(),
                out, err);
    }

    /** Messages name the file as the user wrote it, even when it was compiled under another name. */
    private static PrintStream renaming(PrintStream to, String unit, String shown) {
        if (unit.equals(shown)) {
            return to;
        }
        return new PrintStream(to, true, java.nio.charset.StandardCharsets.UTF_8) {
            @Override
            public void println(String x) {
                super.println(x == null ? null : x.replace(unit, shown));
            }
        };
    }

    /** Maps what a script thread threw to an exit code and a one-line message. */
    static Ending classify(Throwable x, String why, String fileName, Limits limits, long heap) {
        if (x == null) {
            return new Ending(0, null);
        }
        if (x instanceof OutOfMemoryError || "heap".equals(why)) {
            return new Ending(ExitCodes.BAD_INPUT, where(x, fileName) + "the script used more than "
                    + (heap >> 20) + " MiB of heap and was stopped (unbounded allocation?)");
        }
        if ("timeout".equals(why)) {
            return new Ending(ExitCodes.BUDGET_EXHAUSTED, where(x, fileName) + "the script ran longer than its time limit of "
                    + limits.timeoutSeconds() + " s (--timeout) and was stopped");
        }
        if (x instanceof LabFailure f) {
            String w = f.where() != null ? f.where() + ": " : where(x, fileName);
            return switch (f.kind()) {
                case SKIPPED -> new Ending(0, "skipped: " + f.getMessage());
                case INTERRUPTED -> new Ending(ExitCodes.INTERRUPTED, w + "interrupted (Ctrl-C): " + f.getMessage());
                case BUDGET_EXHAUSTED -> new Ending(ExitCodes.BUDGET_EXHAUSTED, w + f.getMessage()
                        + " (raise it with --max-insns)");
                default -> new Ending(1, f.getMessage());
            };
        }
        if (x instanceof BadArgument b) {
            return new Ending(ExitCodes.BAD_INPUT, (b.where() != null ? b.where() + ": " : where(x, fileName)) + b.getMessage());
        }
        if (x instanceof InterruptedException || x.getCause() instanceof InterruptedException) {
            return new Ending(ExitCodes.INTERRUPTED, where(x, fileName) + "interrupted (Ctrl-C)");
        }
        if (x instanceof AssertionError) {
            return new Ending(1, "assertion failed: " + firstLines(x.getMessage()));
        }
        if (x instanceof StackOverflowError) {
            return new Ending(ExitCodes.BAD_INPUT, where(x, fileName) + "stack overflow (unbounded recursion?)");
        }
        String type = x.getClass().getSimpleName();
        if (x instanceof groovy.lang.MissingPropertyException mp) {
            return new Ending(ExitCodes.BAD_INPUT, where(x, fileName) + "no variable or property '" + mp.getProperty() + "'");
        }
        return new Ending(ExitCodes.BAD_INPUT, where(x, fileName) + type + ": " + firstLines(x.getMessage()));
    }

    private static String where(Throwable x, String fileName) {
        int line = ScriptLine.lineIn(x, fileName);
        return line > 0 ? fileName + ":" + line + ": " : fileName + ": ";
    }

    private static String firstLines(String s) {
        if (s == null) {
            return "(no message)";
        }
        List<String> l = s.strip().lines().limit(6).toList();
        return String.join("\n  ", l);
    }

    /** The report for exit 1: title, where, the failure, the guest's panic, the last frames, how to rerun. */
    static void report(PrintStream out, String fileName, String message, Throwable x, Lab lab, String rerun) {
        String where = x instanceof LabFailure f && f.where() != null ? f.where() : x != null
                ? fileName + ":" + ScriptLine.lineIn(x, fileName) : fileName;
        Panic panic = lab.getPanic();
        String title;
        if (x instanceof LabFailure f && f.kind() == LabFailure.Kind.REPRODUCED) {
            title = f.getMessage();
        } else if (panic != null) {
            title = "guest panic: " + panic.title();
        } else {
            title = message.lines().findFirst().orElse(message) + " (" + where + ")";
        }
        List<String> lines = new ArrayList<>();
        lines.add("== wirelab report ==");
        lines.add("Title:  " + title);
        lines.add("Script: " + where);
        lines.add("Result: " + (x instanceof LabFailure f && f.kind() == LabFailure.Kind.REPRODUCED
                ? "bug reproduced" : panic != null ? "guest panicked" : "check failed"));
        if (!(x instanceof LabFailure f && f.kind() == LabFailure.Kind.REPRODUCED)) {
            lines.add("");
            message.lines().forEach(lines::add);
        }
        if (panic != null) {
            lines.add("");
            lines.add("Guest panic:");
            panic.text().lines().forEach(l -> lines.add("  " + l));
        }
        if (lab.isBooted()) {
            List<FrameEvent> last = lab.trace.last(6);
            if (!last.isEmpty()) {
                lines.add("");
                lines.add("Last frames:");
                last.forEach(f -> lines.add("  " + f));
            }
            lines.add("");
            lines.add("Guest: " + lab.getStatus());
            lines.add("Trace hash: " + lab.trace.getHash());
        }
        if (lab.getCaptureFile() != null) {
            lines.add("Capture: " + lab.getCaptureFile() + " (pcapng of this boot, written as the run ends)");
        }
        lines.add("Rerun: " + rerun);
        lines.forEach(out::println);
    }
}
