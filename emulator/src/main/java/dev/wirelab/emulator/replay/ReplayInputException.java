package dev.wirelab.emulator.replay;

/**
 * The capture or the options cannot be replayed: a truncated or corrupt file, an
 * unknown link type, no flow to replay, a bad {@code --map}. The message is one
 * line naming the file (and offset) and what to do.
 */
public final class ReplayInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public ReplayInputException(String message) {
        super(message);
    }

    public ReplayInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
