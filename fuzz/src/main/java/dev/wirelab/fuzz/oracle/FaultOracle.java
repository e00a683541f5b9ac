package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import java.util.Optional;

/**
 * An unexpected guest exception the guest could not handle itself (the board ended the run: an
 * unmapped access with no handler, a recursive fault). Titled by the faulting symbol.
 */
public final class FaultOracle implements Oracle {
    @Override
    public Optional<Finding> check(Execution e, Lab lab) {
        if (e.ended() == null || e.ended().cause() != StopCause.GUEST_FAULT) {
            return Optional.empty();
        }
        String where = e.ended().where() == null ? "unknown" : e.ended().where().replaceAll("\\+0x[0-9a-f]+", "");
        return Optional.of(new Finding("fault", "guest fault in " + where, e.ended().detail()));
    }
}
