package dev.wirelab.emulator.boot;

/**
 * A boot image, device tree or load plan that wirelab refuses. The message is one
 * line: what is wrong, where (file, offset or field) and what to do about it.
 * Malformed input is normal, so this is the only exception the parsers let escape.
 */
public final class BadImageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A refusal with a one-line, user-facing message. */
    public BadImageException(String message) {
        super(message);
    }

    /** A refusal caused by a lower-level failure (e.g. a corrupt gzip stream). */
    public BadImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
