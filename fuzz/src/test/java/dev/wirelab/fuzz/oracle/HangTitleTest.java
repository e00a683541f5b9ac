package dev.wirelab.fuzz.oracle;

import static dev.wirelab.emulator.wire.TcpFlags.ACK;
import static dev.wirelab.emulator.wire.TcpFlags.PSH;
import static dev.wirelab.emulator.wire.TcpFlags.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.SegOption;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.Source;
import dev.wirelab.fuzz.input.StreamTarget;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hang's title names the spin, not the instruction the CPU stopped at: different inputs that
 * drive the same spin get one title (one finding), though each execution ends somewhere else in
 * the loop; and running the sampler leaves the execution's state (and trace hash) as it was.
 */
class HangTitleTest {
    static final int ECHO_SLOT = 3;

    /** The echo service talking to a peer with MSS {@code mss}: zoo:smoltcp-1161 spins sending empty segments. */
    static FuzzInput echoTinyMss(int mss, String text) {
        return FuzzInput.of(StreamTarget.TCP_LISTEN,
                Segment.of(SYN, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE)
                        .withOptions(new SegOption.Mss(mss)).from(Source.PEER, ECHO_SLOT),
                Segment.of(ACK, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE).from(Source.PEER, ECHO_SLOT),
                Segment.of(ACK | PSH, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.of(text))
                        .from(Source.PEER, ECHO_SLOT), new Advance(20_000));
    }

    record Seen(String title, String cpuAt, String hash) { }

    static List<Seen> hangs(String zoo, List<FuzzInput> inputs) {
        assumeTrue(GuestProfile.class.getResource("/guest/zoo/" + zoo + ".elf") != null,
                "the zoo guests are built by the guest module (full reactor build)");
        List<Seen> out = new ArrayList<>();
        try (FuzzLab lab = FuzzLab.open(GuestProfile.zoo(zoo), inputs.get(0).target(), ExecSettings.defaults())) {
            for (FuzzInput in : inputs) {
                Execution e = lab.execute(in);
                String before = lab.lab().trace.getHash();
                String cpuAt = SpinSampler.function(lab.lab(), lab.lab().getBoard().pc());
                Finding f = new HangOracle().check(e, lab.lab()).orElseThrow(() -> new AssertionError(zoo + ": no hang"));
                assertEquals(before, lab.lab().trace.getHash(), "sampling left the trace as it was");
                assertEquals(cpuAt, SpinSampler.function(lab.lab(), lab.lab().getBoard().pc()), "and the CPU");
                out.add(new Seen(f.title(), cpuAt, before));
            }
        }
        return out;
    }

    @Test
    void theEchoSpinOfSmoltcp1161HasOneTitleWhereverTheCpuStopped() {
        List<Seen> seen = hangs("smoltcp-1161", List.of(echoTinyMss(40, "hello, tiny mss"),
                echoTinyMss(20, "a longer line for the tiny mss"), echoTinyMss(48, "x"), echoTinyMss(1, "0123456789")));
        assertTrue(seen.stream().map(Seen::cpuAt).distinct().count() > 1, "the CPU stopped in one place only: " + seen);
        for (Seen s : seen) {
            assertEquals(seen.get(0).title(), s.title(), seen.toString());
        }
        assertTrue(seen.get(0).title().matches("hang: guest spinning in \\w+ \\(echo running\\)"), seen.toString());
    }

    @Test
    void theAkumaDeadlockHasOneTitleForDifferentWrites() {
        List<FuzzInput> writes = new ArrayList<>();
        for (int n : new int[] {3000, 1200, 700}) {
            writes.add(FuzzInput.of(StreamTarget.TCP_ESTABLISHED, new AppWrite(n), new Advance(1000),
                    Segment.of(ACK, Rel.peerNext(0), Rel.guestNext(0), 65535, Payload.NONE)));
        }
        List<Seen> seen = hangs("akuma-deadlock", writes);
        for (Seen s : seen) {
            assertEquals("hang: guest spinning in zoo_stack_lock_irqsave (net running, preemption disabled)", s.title(),
                    seen.toString());
        }
        assertNotEquals(seen.get(0).hash(), seen.get(1).hash(), "different executions");
    }
}
