package dev.wirelab.emulator.cpu;

import java.util.Locale;
import java.util.Optional;

/**
 * The CPU registers the host reads and writes by name (scripts, the agent
 * host, tests), independent of the engine's own register numbering.
 */
public enum Reg {
    X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15,
    X16, X17, X18, X19, X20, X21, X22, X23, X24, X25, X26, X27, X28, X29, X30,
    /** The current stack pointer (SP_EL0 or SP_EL1, as PSTATE.SPSel selects). */
    SP,
    PC,
    PSTATE,
    NZCV,
    SP_EL0,
    SP_EL1,
    ELR_EL1,
    VBAR_EL1,
    TPIDR_EL0;

    /** The general-purpose register {@code xn}, 0..30. */
    public static Reg x(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("no register x" + n + " (x0..x30)");
        }
        return values()[n];
    }

    /** By its assembler name, case-insensitive, with the aliases lr (x30) and fp (x29). */
    public static Optional<Reg> named(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        return switch (n) {
            case "LR" -> Optional.of(X30);
            case "FP" -> Optional.of(X29);
            default -> {
                for (Reg r : values()) {
                    if (r.name().equals(n)) {
                        yield Optional.of(r);
                    }
                }
                yield Optional.empty();
            }
        };
    }
}
