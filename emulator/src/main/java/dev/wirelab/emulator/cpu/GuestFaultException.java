package dev.wirelab.emulator.cpu;

/** The guest is in a state it cannot continue from (thrown from inside a hook; the run loop ends the run). */
public final class GuestFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GuestFaultException(String message) {
        super(message, null, false, false);
    }
}
