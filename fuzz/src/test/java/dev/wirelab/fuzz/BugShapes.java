package dev.wirelab.fuzz;

import static dev.wirelab.emulator.wire.TcpFlags.ACK;
import static dev.wirelab.emulator.wire.TcpFlags.PSH;

import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;

/**
 * Known bugs' whole shapes, written by hand for the tests. They are not seeds: the fuzzer has to
 * compose them from the seeds' single exchanges (fuzz/README.md, "Finding composites").
 */
public final class BugShapes {
    private BugShapes() {
    }

    /** smoltcp #1048: fill the advertised window, read part of it (no window update), one byte past the edge. */
    public static FuzzInput windowFillPartialReadPastEdge() {
        return FuzzInput.of(StreamTarget.TCP_ESTABLISHED, Seeds.windowFill(), new AppRead(100),
                Segment.of(ACK | PSH, Rel.windowEdge(0), Rel.guestNext(0), 65535, Payload.of("!")), new Advance(1000));
    }
}
