package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;

import java.util.Objects;

/**
 * The board-facing side GICv2 and GICv3 share: both keep their interrupt state in a
 * {@link GicCore} and answer the input lines, a forced pending bit and the CPU's IRQ/FIQ
 * outputs from it. Each model keeps its own register map and register files.
 */
abstract sealed class Gic implements InterruptController permits GicV2, GicV3 {
    final GicCore core;
    final GuestLog log;
    final int nSpi;

    /**
     * @param model        "GICv2" or "GICv3", for the message of a bad SPI count
     * @param fiqEnAtReset GICv3's CPU interface resets with FIQs enabled (GicCore)
     */
    Gic(String model, int nSpi, int maxSpis, boolean fiqEnAtReset, GuestLog log) {
        if (nSpi < 0 || nSpi > maxSpis) {
            throw new IllegalArgumentException(model + " SPI count " + nSpi + " outside 0.." + maxSpis);
        }
        this.nSpi = nSpi;
        this.log = Objects.requireNonNull(log, "log");
        this.core = new GicCore(32 + nSpi, fiqEnAtReset);
    }

    public int spiCount() {
        return nSpi;
    }

    @Override
    public IrqLine line(int intid) {
        return core.line(intid);
    }

    @Override
    public void setPending(int intid) {
        core.line(intid); // validates: a PPI or an SPI this controller has
        core.setFlag(intid, GicCore.LATCH, true);
    }

    @Override
    public boolean irqPending() {
        return core.irqOut();
    }

    @Override
    public boolean fiqPending() {
        return core.fiqOut();
    }

    @Override
    public void onOutputChange(Runnable r) {
        core.onOutputChange(r);
    }
}
