package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import java.util.Optional;

/**
 * Liveness: in the quiet window after the last action nothing arrives from the peer, yet the guest
 * keeps transmitting — more frames than any retransmission or keep-alive schedule sends in that
 * time (the smoltcp #1161 shape: an endless stream of empty segments).
 */
public final class LivenessOracle implements Oracle {
    /** Frames per quiet window that no timer-driven schedule reaches (RTO backoff sends a handful). */
    static final int MAX_FRAMES = 32;

    @Override
    public Optional<Finding> check(Execution e, Lab lab) {
        if (e.quiet().framesOut() <= MAX_FRAMES) {
            return Optional.empty();
        }
        return Optional.of(new Finding("liveness", "liveness: guest transmits without end while nothing arrives",
                String.format("%d frames out in a %s quiet window with no input", e.quiet().framesOut(),
                        Execution.formatTicks(e.quiet().ticks()))));
    }
}
