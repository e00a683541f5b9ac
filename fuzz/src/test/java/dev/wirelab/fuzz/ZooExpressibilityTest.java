package dev.wirelab.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every zoo bug is expressible in the typed input model and caught by the standard oracles: one
 * input shaped like each bug's report finds it on its zoo guest and nothing on the default guest.
 */
class ZooExpressibilityTest {
    static Stream<Arguments> zoo() {
        return Stream.of(
                Arguments.of("smoltcp-1048", BugShapes.windowFillPartialReadPastEdge(),
                        "panic: attempt to subtract sequence numbers with underflow"),
                Arguments.of("smoltcp-1136", seed(StreamTarget.TCP_ESTABLISHED, "sack-inverted-block"),
                        "panic: attempt to subtract with overflow"),
                Arguments.of("smoltcp-1144", seed(StreamTarget.TCP_LISTEN, "handshake-from-0.0.0.0"),
                        "panic: assertion failed: !ip_addr_isany"),
                Arguments.of("smoltcp-1161", seed(StreamTarget.TCP_LISTEN, "echo-service-tiny-mss"),
                        "liveness: guest transmits without end"),
                Arguments.of("akuma-deadlock", seed(StreamTarget.TCP_ESTABLISHED, "write-acked"),
                        "hang: guest spinning in zoo_stack_lock_irqsave (net running, preemption disabled)"),
                Arguments.of("akuma-torn-state", tornState(), "panic: already borrowed: BorrowMutError"),
                Arguments.of("awkernel-682", seed(StreamTarget.TCP_INTERLEAVE, "two-connects"),
                        "panic: assertion failed: four_tuple_unique(s)"));
    }

    static FuzzInput seed(StreamTarget t, String name) {
        return Seeds.forTarget(t).get(name);
    }

    /** A tick inside recvfrom's borrow while a segment makes the network thread due (offsets 536-872 do on today's guest). */
    static FuzzInput tornState() {
        Segment data = Segment.of(TcpFlags.ACK | TcpFlags.PSH, Rel.peerNext(0), Rel.guestNext(0), 65535,
                Payload.of("data for agent 0"));
        Segment more = Segment.of(TcpFlags.ACK | TcpFlags.PSH, Rel.peerNext(0), Rel.guestNext(0), 65535,
                Payload.of("more"));
        return FuzzInput.of(StreamTarget.TCP_INTERLEAVE, data, new Advance(5000), new AppRead(100), new Tick(704), more);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void theBugsShapeFindsItOnItsZooGuestAndNothingOnTheDefaultGuest(String zoo, FuzzInput input, String title) {
        assumeTrue(GuestProfile.class.getResource("/guest/zoo/" + zoo + ".elf") != null,
                "the zoo guests are built by the guest module (full reactor build)");
        GuestProfile p = GuestProfile.zoo(zoo);
        try (FuzzLab lab = FuzzLab.open(p, input.target(), ExecSettings.defaults())) {
            Optional<Finding> f = Oracles.standard(p).check(lab.execute(input), lab.lab());
            assertTrue(f.isPresent() && f.get().title().startsWith(title), zoo + ": " + f);
        }
        GuestProfile d = GuestProfile.defaultGuest();
        try (FuzzLab lab = FuzzLab.open(d, input.target(), ExecSettings.defaults())) {
            assertEquals(Optional.empty(), Oracles.standard(d).check(lab.execute(input), lab.lab()));
        }
    }
}
