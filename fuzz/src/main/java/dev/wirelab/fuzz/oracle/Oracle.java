package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import java.util.Optional;

/**
 * Judges one execution (LibAFL's feedback half: the executor observes, oracles decide). The lab
 * is still at the execution's end, for oracles that read guest state.
 */
public interface Oracle {
    Optional<Finding> check(Execution execution, Lab lab);
}
