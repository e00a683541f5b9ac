package dev.wirelab.emulator.unicorn;

/** A Unicorn call failed; carries the uc_err code and uc_strerror's text. */
public final class UnicornException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int code;

    public UnicornException(String operation, int code, String reason) {
        super(operation + ": " + reason + " (uc_err " + code + ")");
        this.code = code;
    }

    public UnicornException(String message) {
        super(message);
        this.code = -1;
    }

    /** The uc_err value, or -1 when the failure was not a Unicorn error code. */
    public int code() {
        return code;
    }
}
