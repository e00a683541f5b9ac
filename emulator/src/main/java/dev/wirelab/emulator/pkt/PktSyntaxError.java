package dev.wirelab.emulator.pkt;

/** A malformed script: one line, {@code FILE:LINE:COLUMN: message} (exit 2). */
public final class PktSyntaxError extends IllegalArgumentException {
    private final String file;
    private final int line;
    private final int column;

    public PktSyntaxError(String file, int line, int column, String message) {
        super(file + ":" + line + ":" + column + ": " + message);
        this.file = file;
        this.line = line;
        this.column = column;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
