package dev.wirelab.cli;

/**
 * Bad input from the user (a flag value, a file, an image that does not fit):
 * reported as one line, what is wrong and what to do, with exit code
 * {@link ExitCodes#BAD_INPUT}. Never a stack trace unless {@code --debug}.
 */
public final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
