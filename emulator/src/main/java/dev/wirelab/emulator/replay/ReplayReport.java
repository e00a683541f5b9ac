package dev.wirelab.emulator.replay;

import java.util.List;

/**
 * What a replay found, per flow and overall.
 *
 * @param capture the capture's name as the user gave it
 * @param detail why the replay ended early (budget, guest stopped), else empty
 */
public record ReplayReport(String capture, List<FlowReport> flows, Outcome outcome, String detail, String traceHash) {
    public ReplayReport {
        flows = List.copyOf(flows);
    }

    public enum Outcome {
        /** Every flow replayed and the guest behaved as recorded: exit 0. */
        CONSISTENT(0),
        /** The guest's behaviour differed from the recording somewhere: exit 1. */
        DIVERGED(1),
        /** The instruction budget ran out before the replay finished: exit 124. */
        BUDGET_EXHAUSTED(124);

        public final int exitCode;

        Outcome(int exitCode) {
            this.exitCode = exitCode;
        }
    }

    /**
     * Where the guest first did something the recording does not have.
     *
     * @param frame the capture frame (1-based) of the recorded behaviour the guest departed from
     * @param expected what the recording has there, e.g. {@code [F.]}
     * @param actual what the guest did, e.g. {@code sent [R.]}
     */
    public record Divergence(int frame, String expected, String actual) {
        /** {@code recorded [F.] at frame 12, guest sent [R.]}. */
        public String describe() {
            return "recorded " + expected + " at frame " + frame + ", guest " + actual;
        }
    }

    /**
     * One flow's numbers.
     *
     * @param sent peer segments (datagrams) injected, retransmissions excluded
     * @param accepted peer segments carrying sequence space the guest ACKed (datagrams: answered as recorded)
     * @param retransmitted peer segments sent again after a virtual-time RTO
     * @param acksAdded pure ACKs the replayed peer sent that the recording does not have (acknowledging guest
     *     data that arrived in other pieces than recorded, so the guest's window keeps opening)
     * @param guestSeen guest segments seen on the wire during the replay
     * @param guestRecorded guest segments in the recording
     * @param divergence the first departure from the recording, or null
     */
    public record FlowReport(String flow, int sent, int accepted, int retransmitted, int acksAdded, int guestSeen,
            int guestRecorded,
            Divergence divergence) {
        public String line() {
            return flow + ": sent " + sent + ", accepted " + accepted + ", retransmitted " + retransmitted
                    + (acksAdded > 0 ? ", acks added " + acksAdded : "") + ", guest "
                    + guestSeen + " segments (recorded " + guestRecorded + "): "
                    + (divergence == null ? "consistent" : "DIVERGED: " + divergence.describe());
        }
    }

    public int exitCode() {
        return outcome.exitCode;
    }

    /** The first divergence of any flow, or null. */
    public Divergence firstDivergence() {
        return flows.stream().map(FlowReport::divergence).filter(d -> d != null).findFirst().orElse(null);
    }

    /** The text report: one line per flow, then the verdict. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        for (FlowReport f : flows) {
            sb.append("replay: ").append(f.line()).append('\n');
        }
        sb.append("replay: ").append(switch (outcome) {
            case CONSISTENT -> "consistent with " + capture;
            case DIVERGED -> "diverged from " + capture + (detail.isEmpty() ? "" : ": " + detail);
            case BUDGET_EXHAUSTED -> "unfinished: " + detail;
        }).append('\n');
        return sb.toString();
    }
}
