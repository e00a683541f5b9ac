package dev.wirelab.fuzz.finding;

/** A finding or corpus file could not be written (full disk, read-only directory): bad input for the command. */
public final class FindingStoreException extends RuntimeException {
    public FindingStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
