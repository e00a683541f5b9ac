package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.monitor.Invariant;
import dev.wirelab.fuzz.monitor.TcpMonitor;
import dev.wirelab.fuzz.monitor.Violation;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The passive TCP monitor as an oracle. It watches the whole exchange since boot (the handshake
 * before the snapshot included, so it knows both ISNs) and judges only the guest's segments in
 * this execution — the fuzzer's peer breaks invariants on purpose.
 *
 * <p>Policy: a violation is a <em>note</em> with its evidence unless its invariant is promoted
 * (lwIP 2.1.3 legally accepts a byte past its advertised window when the buffer has room — the
 * very trigger of smoltcp #1048 — so flagging that by default would be a false positive). Promoted
 * invariants become findings titled {@code tcp invariant: <invariant>}.
 */
public final class WireMonitorOracle implements Oracle {
    static final String TITLE = "tcp invariant: ";
    private final Set<Invariant> promoted;

    public WireMonitorOracle(Set<Invariant> promoted) {
        this.promoted = promoted.isEmpty() ? EnumSet.noneOf(Invariant.class) : EnumSet.copyOf(promoted);
    }

    /** Notes only: no invariant is a finding. */
    public static WireMonitorOracle notesOnly() {
        return new WireMonitorOracle(Set.of());
    }

    @Override
    public Optional<Finding> check(Execution e, Lab lab) {
        List<Violation> vs = guestViolations(before(e, lab), e.frames());
        for (Violation v : vs) {
            if (promoted.contains(v.invariant())) {
                return Optional.of(new Finding("monitor", TITLE + v.invariant().title(), v.toString()));
            }
        }
        return Optional.empty();
    }

    /** The guest's violations in this execution that are not findings under this policy, as note lines. */
    public List<String> notes(Execution e, Lab lab) {
        List<String> out = new ArrayList<>();
        for (Violation v : guestViolations(before(e, lab), e.frames())) {
            if (!promoted.contains(v.invariant())) {
                out.add("note: " + v);
            }
        }
        return out;
    }

    /** The frames on the wire before the execution started (the lab's trace ends with the execution's frames). */
    public static List<FrameEvent> before(Execution e, Lab lab) {
        List<FrameEvent> all = lab.trace.getFrames();
        return all.subList(0, Math.max(0, all.size() - e.frames().size()));
    }

    /** Runs a monitor over {@code before} then {@code during}; returns the guest's violations during. */
    public static List<Violation> guestViolations(List<FrameEvent> before, List<FrameEvent> during) {
        TcpMonitor m = new TcpMonitor();
        int i = 0;
        for (FrameEvent f : before) {
            m.observe(i++, f.ticks(), direction(f), f.bytes());
        }
        List<Violation> out = new ArrayList<>();
        for (FrameEvent f : during) {
            for (Violation v : m.observe(i++, f.ticks(), direction(f), f.bytes())) {
                if (v.byGuest()) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /** The first guest violation of {@code inv} during the execution, or null. */
    public static Violation firstGuestViolation(List<FrameEvent> before, List<FrameEvent> during, Invariant inv) {
        for (Violation v : guestViolations(before, during)) {
            if (v.invariant() == inv) {
                return v;
            }
        }
        return null;
    }

    /** The invariant a monitor finding is about (null for other findings). */
    public static Invariant invariantOf(Finding f) {
        for (Invariant i : Invariant.values()) {
            if (f.title().equals(TITLE + i.title())) {
                return i;
            }
        }
        return null;
    }

    private static Direction direction(FrameEvent f) {
        return f.isOut() ? Direction.OUTBOUND : Direction.INBOUND;
    }
}
