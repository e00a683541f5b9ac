package dev.wirelab.emulator.agent;

/**
 * A call submitted to an agent: queued, then in flight (handed out, the agent
 * is in the syscall), then done (reported). Waiting runs the board.
 */
public final class PendingCall {
    /** Where a call is. */
    public enum Phase {
        /** Waiting for the agent's next GET_WORK. */
        QUEUED,
        /** Handed out; the agent is issuing it (possibly blocked in the guest). */
        IN_FLIGHT,
        /** Reported; {@link #result()} holds the outcome. */
        DONE,
        /** Could not be handed out or was lost (the agent said HELLO again, the buffer is too small). */
        FAILED,
        /** Dropped by a board restore to a snapshot taken before it was submitted. */
        DISCARDED
    }

    /** The mutable part, as an immutable value for snapshots. */
    record State(Phase phase, long dispatchedAt, int[] offsets, long bufferVa, long traceSeq, SyscallResult result,
                 String failure) { }

    private final AgentHost host;
    private final int agent;
    private final Syscall call;
    private final long id;

    Phase phase = Phase.QUEUED;
    long dispatchedAt = -1;
    /** Offset of each argument's buffer region (-1 for plain values), fixed when handed out. */
    int[] offsets;
    long bufferVa;
    /** The trace entry of the agent's svc for this call, or -1. */
    long traceSeq = -1;
    SyscallResult result;
    String failure;

    PendingCall(AgentHost host, int agent, Syscall call, long id) {
        this.host = host;
        this.agent = agent;
        this.call = call;
        this.id = id;
    }

    public int agent() {
        return agent;
    }

    public Syscall call() {
        return call;
    }

    /** Submission order on this host (0 = first). */
    public long id() {
        return id;
    }

    public Phase phase() {
        return phase;
    }

    /** True once the agent reported (or the call failed or was discarded): waiting would not change it. */
    public boolean isDone() {
        return phase == Phase.DONE || phase == Phase.FAILED || phase == Phase.DISCARDED;
    }

    /** The reported result; throws if the call is not done or did not complete. */
    public SyscallResult result() {
        return switch (phase) {
            case DONE -> result;
            case FAILED -> throw new AgentException("agent " + agent + ": " + call + " failed: " + failure);
            case DISCARDED -> throw new AgentException("agent " + agent + ": " + call
                    + " was discarded by a restore to a snapshot taken before it was submitted");
            default -> throw new IllegalStateException("agent " + agent + ": " + call + " is still " + phase);
        };
    }

    /** Runs the board until this call reports, within {@code budget}; returns its result. */
    public SyscallResult await(Budget budget) {
        return host.await(this, budget);
    }

    public SyscallResult await() {
        return await(Budget.DEFAULT);
    }

    State save() {
        return new State(phase, dispatchedAt, offsets == null ? null : offsets.clone(), bufferVa, traceSeq, result,
                failure);
    }

    void restore(State s) {
        phase = s.phase();
        dispatchedAt = s.dispatchedAt();
        offsets = s.offsets() == null ? null : s.offsets().clone();
        bufferVa = s.bufferVa();
        traceSeq = s.traceSeq();
        result = s.result();
        failure = s.failure();
    }

    @Override
    public String toString() {
        return "agent " + agent + ": " + call + " [" + phase + (phase == Phase.DONE ? " = " + result : "") + "]";
    }
}
