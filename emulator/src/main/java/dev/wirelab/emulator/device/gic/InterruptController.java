package dev.wirelab.emulator.device.gic;

import dev.wirelab.emulator.cpu.SysRegHandler;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.MmioDevice;

import java.util.List;

/**
 * The board's interrupt controller: a GICv2 ({@link GicV2}) or a GICv3
 * ({@link GicV3}) serving one CPU.
 *
 * <p>Devices drive {@link #line(int)}; the board maps {@link #mmioDevices()},
 * routes trapped ICC_* system registers to {@link #read}/{@link #write} (GICv3
 * only; a GICv2 handles no system register), and after {@link #onOutputChange}
 * fires checks {@link #irqPending()}/{@link #fiqPending()} at the next
 * instruction boundary to take an IRQ or FIQ exception (when PSTATE.I/F allow).
 */
public interface InterruptController extends SysRegHandler {
    /**
     * The input wire of a PPI (16..31) or SPI (32..32+nSpi-1). The same object
     * is returned for the same INTID. Any other INTID is a board wiring bug and
     * throws {@link IllegalArgumentException}.
     */
    IrqLine line(int intid);

    /**
     * Makes the PPI or SPI {@code intid} pending now, as the guest's own write of its
     * bit to the set-pending register would (the host forcing an interrupt: a
     * scripted timer tick). Throws {@link IllegalArgumentException} for an SGI or an
     * INTID this controller does not have.
     */
    void setPending(int intid);

    /** The CPU's IRQ input is asserted now (enables, groups, priority vs PMR and running priority considered). */
    boolean irqPending();

    /** The CPU's FIQ input is asserted now. */
    boolean fiqPending();

    /** The MMIO frames the board maps. */
    List<MmioDevice> mmioDevices();

    /** Called (synchronously) whenever {@link #irqPending()} or {@link #fiqPending()} changed. */
    void onOutputChange(Runnable r);

    /** 2 or 3. */
    int version();

    /** Back to power-on state. Input line levels are kept: they belong to the devices driving them. */
    void reset();

    /** A snapshot of the whole controller state (an immutable record of the concrete model). */
    GicState saveState();

    /**
     * Restores a state from {@link #saveState()} of a controller of the same
     * model and size; anything else (or a corrupt state) throws
     * {@link IllegalArgumentException} and leaves this controller unchanged.
     */
    void restoreState(GicState state);
}
