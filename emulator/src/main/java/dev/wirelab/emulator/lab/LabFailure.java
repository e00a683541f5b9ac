package dev.wirelab.emulator.lab;

/**
 * Why a script (or a test driving a {@link Lab}) ends early, each kind with the
 * exit code {@code wirelab run} gives it: an expectation failed or the script
 * reported the bug (1), the budget ran out (124), the user interrupted (130).
 * {@link #where()} is the script line that raised it ("repro.groovy:12"), when known.
 */
public class LabFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What ended the script. */
    public enum Kind {
        /** An {@code expect}/{@code check} did not hold. */
        EXPECTATION_FAILED(1),
        /** The script said the bug reproduced ({@code lab.reproduced("title")}). */
        REPRODUCED(1),
        /** The instruction budget (or a virtual-time limit) ran out. */
        BUDGET_EXHAUSTED(124),
        /** Ctrl-C or a host request. */
        INTERRUPTED(130),
        /** The script cannot run in this build (a feature it needs is missing): not a failure. */
        SKIPPED(0);

        private final int exitCode;

        Kind(int exitCode) {
            this.exitCode = exitCode;
        }

        public int exitCode() {
            return exitCode;
        }
    }

    private final Kind kind;
    private final String where;

    public LabFailure(Kind kind, String message) {
        this(kind, message, ScriptLine.caller());
    }

    public LabFailure(Kind kind, String message, String where) {
        super(message);
        this.kind = kind;
        this.where = where;
    }

    public Kind kind() {
        return kind;
    }

    /** "file.groovy:LINE" of the script statement that failed, or null. */
    public String where() {
        return where;
    }

    /** The message prefixed with where it happened. */
    public String report() {
        return (where == null ? "" : where + ": ") + getMessage();
    }
}
