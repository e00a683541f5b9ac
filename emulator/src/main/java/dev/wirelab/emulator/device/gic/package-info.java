/**
 * The interrupt controller of the board: {@link dev.wirelab.emulator.device.gic.GicV2}
 * (distributor + memory-mapped CPU interface) and {@link dev.wirelab.emulator.device.gic.GicV3}
 * (distributor + one redistributor + ICC_* system registers), both behind
 * {@link dev.wirelab.emulator.device.gic.InterruptController}, serving one CPU.
 *
 * <h2>Wiring (for the board)</h2>
 * <pre>{@code
 * // only the board's wiring knows the addresses (VirtMemoryMap): the GIC takes them as arguments
 * InterruptController gic = v3 ? new GicV3(GIC_DIST_BASE, GIC_REDIST_BASE, 256, log)
 *         : new GicV2(GIC_DIST_BASE, GIC_CPU_BASE, 256, log);
 * gic.mmioDevices().forEach(board::map);            // GICD 0x0800_0000; GICC 0x0801_0000 or GICR 0x080A_0000 (128 KiB)
 * sysRegs.add(gic);                                 // GICv3: serves GicV3.SYSTEM_REGISTERS; GICv2: handles() is false
 * gic.onOutputChange(board::kick);                  // the run loop looks at the outputs at the next block
 * gic.setPending(27);                               // the host forcing a PPI (a scripted timer tick)
 * // at an instruction boundary: if (gic.irqPending() && !PSTATE.I) take IRQ; if (gic.fiqPending() && !PSTATE.F) take FIQ
 * IrqLine uart = gic.line(VirtMemoryMap.spiIntid(VirtMemoryMap.UART_SPI));
 * }</pre>
 * The outputs are levels: they stay asserted until the guest acknowledges
 * (IAR), masks (PMR, enables) or the source drops; the board re-checks them
 * after every exception return or PSTATE.DAIF change as well.
 *
 * <h2>Device tree</h2>
 * GICv3: {@code compatible = "arm,gic-v3"}, {@code reg = <0x08000000 0x10000>, <0x080A0000 0x20000>}
 * (one redistributor, GICR_TYPER.Last = 1; a larger region as QEMU describes also works,
 * Linux stops at Last). GICv2: {@code compatible = "arm,cortex-a15-gic"},
 * {@code reg = <0x08000000 0x10000>, <0x08010000 0x10000>}. Both: {@code #interrupt-cells = 3}.
 *
 * <h2>Snapshots</h2>
 * {@code saveState()} returns an immutable record (value equality); {@code restoreState}
 * validates it and throws {@link java.lang.IllegalArgumentException} on a state of
 * another model or size or a corrupt one, leaving the controller unchanged. Input
 * line levels are part of the state.
 */
package dev.wirelab.emulator.device.gic;
