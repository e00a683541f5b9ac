package dev.wirelab.emulator.board;

import dev.wirelab.emulator.device.GuestLog;

/**
 * PSCI firmware calls (Arm DEN0022), answered over HVC or SMC like QEMU's
 * built-in PSCI for a single-CPU virt machine. The function ID is in w0,
 * arguments in x1..x3, the result goes to x0.
 */
final class Psci {
    static final int PSCI_VERSION = 0x8400_0000;
    static final int CPU_SUSPEND_32 = 0x8400_0001;
    static final int CPU_SUSPEND_64 = 0xC400_0001;
    static final int CPU_OFF = 0x8400_0002;
    static final int CPU_ON_32 = 0x8400_0003;
    static final int CPU_ON_64 = 0xC400_0003;
    static final int AFFINITY_INFO_32 = 0x8400_0004;
    static final int AFFINITY_INFO_64 = 0xC400_0004;
    static final int MIGRATE_INFO_TYPE = 0x8400_0006;
    static final int SYSTEM_OFF = 0x8400_0008;
    static final int SYSTEM_RESET = 0x8400_0009;
    static final int PSCI_FEATURES = 0x8400_000A;

    static final long SUCCESS = 0;
    static final long NOT_SUPPORTED = -1;
    static final long INVALID_PARAMETERS = -2;
    /** PSCI 1.1, what QEMU 7.2 reports. */
    static final long VERSION_1_1 = 0x0001_0001;
    /** MIGRATE_INFO_TYPE: no Trusted OS, nothing to migrate. */
    static final long TOS_NOT_PRESENT = 2;

    /** What the board must do after a call. */
    sealed interface Outcome permits Result, Exit { }

    record Result(long x0) implements Outcome { }

    record Exit(ExitStatus status) implements Outcome { }

    private final GuestLog log;

    Psci(GuestLog log) {
        this.log = log;
    }

    Outcome call(int function, long x1) {
        return switch (function) {
            case PSCI_VERSION -> new Result(VERSION_1_1);
            case PSCI_FEATURES -> new Result(isImplemented((int) x1) ? SUCCESS : NOT_SUPPORTED);
            case MIGRATE_INFO_TYPE -> new Result(TOS_NOT_PRESENT);
            case AFFINITY_INFO_32, AFFINITY_INFO_64 -> new Result((x1 & 0xff_ffffL) == 0 ? 0 /* ON */ : INVALID_PARAMETERS);
            // One CPU: there is nothing to power on (the issue and the tests fix this answer).
            case CPU_ON_32, CPU_ON_64 -> new Result(NOT_SUPPORTED);
            case SYSTEM_OFF -> new Exit(new ExitStatus(ExitStatus.Kind.SYSTEM_OFF, 0, "PSCI SYSTEM_OFF"));
            case SYSTEM_RESET -> new Exit(new ExitStatus(ExitStatus.Kind.SYSTEM_RESET, 0, "PSCI SYSTEM_RESET"));
            case CPU_OFF -> new Exit(new ExitStatus(ExitStatus.Kind.SYSTEM_OFF, 0, "PSCI CPU_OFF of the only CPU"));
            default -> {
                log.error("psci", "unknown function 0x" + Integer.toHexString(function));
                yield new Result(NOT_SUPPORTED);
            }
        };
    }

    private static boolean isImplemented(int function) {
        return switch (function) {
            case PSCI_VERSION, PSCI_FEATURES, MIGRATE_INFO_TYPE, AFFINITY_INFO_32, AFFINITY_INFO_64, SYSTEM_OFF,
                 SYSTEM_RESET, CPU_OFF -> true;
            default -> false;
        };
    }
}
