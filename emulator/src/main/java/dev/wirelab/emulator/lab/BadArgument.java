package dev.wirelab.emulator.lab;

/**
 * A script called a lab verb with an argument it does not take or a value of the wrong kind:
 * bad input (exit 2 in {@code wirelab run}), reported as one line with the script line in front.
 */
public final class BadArgument extends IllegalArgumentException {
    private final String where;

    public BadArgument(String message, String where) {
        super(message);
        this.where = where;
    }

    /** "file.groovy:12" of the calling script line, or null. */
    public String where() {
        return where;
    }
}
