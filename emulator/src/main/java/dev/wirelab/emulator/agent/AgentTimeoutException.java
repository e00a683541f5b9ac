package dev.wirelab.emulator.agent;

/** The board ran a whole budget and the awaited call did not report. The call stays where it was. */
public final class AgentTimeoutException extends AgentException {
    private final int agent;
    private final Syscall call;
    private final Budget budget;

    public AgentTimeoutException(String message, int agent, Syscall call, Budget budget) {
        super(message);
        this.agent = agent;
        this.call = call;
        this.budget = budget;
    }

    public int agent() {
        return agent;
    }

    /** The call waited for; null when waiting for something else (an agent's HELLO). */
    public Syscall call() {
        return call;
    }

    public Budget budget() {
        return budget;
    }
}
