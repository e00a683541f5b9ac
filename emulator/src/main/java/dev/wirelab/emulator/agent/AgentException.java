package dev.wirelab.emulator.agent;

/** A call could not be completed: the guest ended, the agent left, or the call failed with an errno. */
public class AgentException extends RuntimeException {
    public AgentException(String message) {
        super(message);
    }
}
