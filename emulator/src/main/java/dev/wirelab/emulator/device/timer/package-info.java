/**
 * The Arm generic timer ({@link dev.wirelab.emulator.device.timer.GenericTimer}):
 * system counter on {@link dev.wirelab.emulator.time.VirtualClock}, EL1 virtual and
 * physical timers whose deadlines are events on the board's
 * {@link dev.wirelab.emulator.time.EventQueue}.
 *
 * <h2>Wiring (for the board)</h2>
 * <pre>{@code
 * GenericTimer timer = new GenericTimer(clock, queue,
 *         gic.line(VirtMemoryMap.PPI_VIRT_TIMER), gic.line(VirtMemoryMap.PPI_NONSECURE_PHYS_TIMER), log);
 * sysRegs.add(timer);   // serves GenericTimer.SYSTEM_REGISTERS
 * }</pre>
 * Unicorn implements CNTVCT_EL0/CNTPCT_EL0/CNTFRQ_EL0 itself from the host clock:
 * the board must intercept them (UC_HOOK_INSN MRS, return 1) and answer from
 * {@link dev.wirelab.emulator.device.timer.GenericTimer#read}, as for every other
 * register listed. After retiring instructions or idling in WFI (idle until
 * {@code queue.nextDeadline()}), run {@code queue.runDue(clock.ticks())}.
 *
 * <h2>Snapshots</h2>
 * Restore the clock and the event queue first, then the timer: {@code restore}
 * drops this timer's events from the restored queue and reschedules from the
 * registers, and drives both lines.
 */
package dev.wirelab.emulator.device.timer;
