package dev.wirelab.emulator.board;

import dev.wirelab.emulator.cpu.SysRegHandler;
import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.time.VirtualClock;

import java.util.function.LongSupplier;

/**
 * System registers through which QEMU would leak host state into the guest:
 * the PMU cycle counter (host-time based without icount) and FEAT_RNG's
 * RNDR/RNDRRS (host entropy, present with the "max" CPU). Served from the
 * virtual clock and a seeded stream instead; the PMU is advertised as absent
 * (ID_AA64DFR0_EL1.PMUVer = 0) so well-behaved guests leave it alone.
 */
final class HostStateRegisters implements SysRegHandler {
    static final SysRegId ID_AA64DFR0_EL1 = SysRegId.of(3, 0, 0, 5, 0);
    static final SysRegId PMCCNTR_EL0 = SysRegId.of(3, 3, 9, 13, 0);
    static final SysRegId RNDR = SysRegId.of(3, 3, 2, 4, 0);
    static final SysRegId RNDRRS = SysRegId.of(3, 3, 2, 4, 1);
    private static final long PMUVER_MASK = 0xfL << 8;

    private final VirtualClock clock;
    private final LongSupplier realDfr0;
    private long rngState;

    HostStateRegisters(VirtualClock clock, LongSupplier realDfr0, long seed) {
        this.clock = clock;
        this.realDfr0 = realDfr0;
        this.rngState = seed;
    }

    @Override
    public boolean handles(SysRegId reg) {
        return reg.equals(ID_AA64DFR0_EL1) || reg.equals(PMCCNTR_EL0) || reg.equals(RNDR) || reg.equals(RNDRRS);
    }

    @Override
    public long read(SysRegId reg) {
        if (reg.equals(ID_AA64DFR0_EL1)) {
            return realDfr0.getAsLong() & ~PMUVER_MASK;
        }
        if (reg.equals(PMCCNTR_EL0)) {
            return clock.ticks();
        }
        return nextRandom();
    }

    @Override
    public void write(SysRegId reg, long value) {
        if (reg.equals(PMCCNTR_EL0)) {
            return; // a write would only set a host-time-based base; the virtual counter cannot be rewound
        }
    }

    /** SplitMix64: small, fast, and the same sequence for the same seed. */
    private long nextRandom() {
        long z = (rngState += 0x9E37_79B9_7F4A_7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    long rngState() {
        return rngState;
    }

    void rngState(long s) {
        rngState = s;
    }
}
