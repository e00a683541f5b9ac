package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.TraceHash;

import java.util.ArrayList;
import java.util.List;

/** What happened in the run: frames both ways, interrupts and ticks, the trace hash. */
public final class LabTrace {
    /** An interrupt entry ('I': the guest took an IRQ/FIQ) or a host tick ('T'). */
    public record Interrupt(long instruction, String kind) {
        @Override
        public String toString() {
            return String.format("%,d %s", instruction, kind);
        }
    }

    private final Lab lab;

    LabTrace(Lab lab) {
        this.lab = lab;
    }

    /** Frames the guest sent ("out") and received ("in"), in order. */
    public List<FrameEvent> getFrames() {
        return lab.isBooted() ? List.copyOf(lab.frames()) : List.of();
    }

    /** The TCP segments between the peer and the guest, seq/ack relative to each side's ISN (packetdrill's view). */
    public List<TcpView.Segment> getTcp() {
        return lab.isBooted() ? TcpView.segments(lab) : List.of();
    }

    /** The last {@code n} frames. */
    public List<FrameEvent> last(int n) {
        List<FrameEvent> f = getFrames();
        return f.subList(Math.max(0, f.size() - n), f.size());
    }

    /** Interrupts the guest took and ticks the host raised. */
    public List<Interrupt> getInterrupts() {
        List<Interrupt> l = new ArrayList<>();
        for (TraceHash.Entry e : getEntries()) {
            if (e.kind() == 'I') {
                l.add(new Interrupt(e.instruction(), e.payloadHash() == irqHash() ? "irq" : "fiq"));
            } else if (e.kind() == 'T') {
                l.add(new Interrupt(e.instruction(), "tick"));
            }
        }
        return l;
    }

    private static int irqHash() {
        // TraceHash stores Arrays.hashCode of the 8-byte kind ordinal; IRQ is ordinal 1 of the engine's kinds.
        return java.util.Arrays.hashCode(java.nio.ByteBuffer.allocate(8).putLong(1).array());
    }

    /** Syscalls seen by the agent host (every svc #0 the guest made). */
    public List<dev.wirelab.emulator.agent.TracedSyscall> getSyscalls() {
        return lab.sys.trace();
    }

    /** Every recorded event (console bytes 'C', frames 'F'/'R', interrupts 'I', ticks 'T', end 'X'). */
    public List<TraceHash.Entry> getEntries() {
        return lab.isBooted() ? lab.getBoard().trace().entries() : List.of();
    }

    /** The run's trace hash: equal hashes mean identical runs. */
    public String getHash() {
        return lab.isBooted() ? lab.getBoard().trace().hex() : "";
    }

    @Override
    public String toString() {
        return "trace: " + getFrames().size() + " frames, " + getInterrupts().size() + " interrupts, hash " + getHash();
    }
}
