package dev.wirelab.emulator.board;

/** Internal: a hook found the guest in a state it cannot continue from. */
final class GuestFaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    GuestFaultException(String message) {
        super(message, null, false, false);
    }
}
