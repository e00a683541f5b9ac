package dev.wirelab.fuzz.monitor;

import dev.wirelab.emulator.capture.Direction;
import java.util.Objects;

/**
 * One invariant broken on the wire.
 *
 * @param invariant  which one
 * @param connection the connection it happened on
 * @param sender     the endpoint whose segment broke it
 * @param direction  which way that segment went (OUTBOUND: the guest sent it)
 * @param frameIndex the frame's index in the stream the monitor was fed
 * @param ticks      the frame's virtual time
 * @param evidence   the numbers that show it, one line
 */
public record Violation(Invariant invariant, ConnectionId connection, Endpoint sender, Direction direction,
                        int frameIndex, long ticks, String evidence) {
    public Violation {
        Objects.requireNonNull(invariant, "invariant");
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(direction, "direction");
        Objects.requireNonNull(evidence, "evidence");
    }

    public boolean byGuest() {
        return direction == Direction.OUTBOUND;
    }

    @Override
    public String toString() {
        return "frame " + frameIndex + " (" + sender + (byGuest() ? ", guest" : "") + "): " + invariant.title() + ": "
                + evidence;
    }
}
