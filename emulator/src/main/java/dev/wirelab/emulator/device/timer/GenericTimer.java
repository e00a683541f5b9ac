package dev.wirelab.emulator.device.timer;

import dev.wirelab.emulator.cpu.SysRegHandler;
import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;

import java.util.List;
import java.util.Objects;

/**
 * The Arm generic timer of one CPU (Arm ARM D11): the system counter
 * (CNTPCT_EL0 = CNTVCT_EL0 = {@link VirtualClock#ticks()}, CNTVOFF = 0,
 * CNTFRQ_EL0 = 62.5 MHz) and the EL1 physical and virtual timers, each
 * driving a level-sensitive PPI (QEMU virt: virtual 27, non-secure physical 30).
 *
 * <p>A timer's condition is met when {@code counter >= CVAL} (unsigned 64-bit);
 * CTL.ISTATUS reports it and the output line is {@code ENABLE && ISTATUS &&
 * !IMASK}. Whenever CVAL or CTL change, the line is recomputed at once and one
 * event is (re)scheduled on the {@link EventQueue} at exactly the CVAL tick;
 * the event only recomputes, so a stale one is harmless. Deadlines at or
 * beyond {@link #HORIZON} ticks (over 2,000 years of virtual time, including
 * CVAL = 2^64-1 and negative TVALs early in a run that wrap CVAL) are never
 * scheduled: they cannot be reached.
 *
 * <p>The board must call {@link EventQueue#runDue(long)} with the clock's
 * current {@code ticks()} (after retiring instructions or idling), never with
 * a time the clock has not reached.
 */
public final class GenericTimer implements SysRegHandler {
    public static final SysRegId CNTFRQ_EL0 = SysRegId.of(3, 3, 14, 0, 0);
    public static final SysRegId CNTPCT_EL0 = SysRegId.of(3, 3, 14, 0, 1);
    public static final SysRegId CNTVCT_EL0 = SysRegId.of(3, 3, 14, 0, 2);
    public static final SysRegId CNTPCTSS_EL0 = SysRegId.of(3, 3, 14, 0, 5);
    public static final SysRegId CNTVCTSS_EL0 = SysRegId.of(3, 3, 14, 0, 6);
    public static final SysRegId CNTKCTL_EL1 = SysRegId.of(3, 0, 14, 1, 0);
    public static final SysRegId CNTP_TVAL_EL0 = SysRegId.of(3, 3, 14, 2, 0);
    public static final SysRegId CNTP_CTL_EL0 = SysRegId.of(3, 3, 14, 2, 1);
    public static final SysRegId CNTP_CVAL_EL0 = SysRegId.of(3, 3, 14, 2, 2);
    public static final SysRegId CNTV_TVAL_EL0 = SysRegId.of(3, 3, 14, 3, 0);
    public static final SysRegId CNTV_CTL_EL0 = SysRegId.of(3, 3, 14, 3, 1);
    public static final SysRegId CNTV_CVAL_EL0 = SysRegId.of(3, 3, 14, 3, 2);

    /** Every system register this timer serves. */
    public static final List<SysRegId> SYSTEM_REGISTERS = List.of(
            CNTFRQ_EL0, CNTPCT_EL0, CNTVCT_EL0, CNTPCTSS_EL0, CNTVCTSS_EL0, CNTKCTL_EL1,
            CNTP_TVAL_EL0, CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTV_TVAL_EL0, CNTV_CTL_EL0, CNTV_CVAL_EL0);

    private static final int FRQ = CNTFRQ_EL0.packed();
    private static final int PCT = CNTPCT_EL0.packed();
    private static final int VCT = CNTVCT_EL0.packed();
    private static final int PCTSS = CNTPCTSS_EL0.packed();
    private static final int VCTSS = CNTVCTSS_EL0.packed();
    private static final int KCTL = CNTKCTL_EL1.packed();
    private static final int P_TVAL = CNTP_TVAL_EL0.packed();
    private static final int P_CTL = CNTP_CTL_EL0.packed();
    private static final int P_CVAL = CNTP_CVAL_EL0.packed();
    private static final int V_TVAL = CNTV_TVAL_EL0.packed();
    private static final int V_CTL = CNTV_CTL_EL0.packed();
    private static final int V_CVAL = CNTV_CVAL_EL0.packed();

    public static final long CTL_ENABLE = 1;
    public static final long CTL_IMASK = 2;
    public static final long CTL_ISTATUS = 4;
    /** CNTKCTL_EL1 bits that exist without FEAT_ECV: EL0PCTEN..EL0PTEN [9:0]. */
    static final long CNTKCTL_MASK = 0x3FF;
    /** Deadlines at or beyond this tick are never scheduled (2^62 ticks ≈ 2,300 years at 62.5 MHz). */
    public static final long HORIZON = 1L << 62;

    private static final String NAME = "timer";

    private final VirtualClock clock;
    private final EventQueue queue;
    private final GuestLog log;
    private final Channel virt;
    private final Channel phys;
    private long cntkctl;

    /**
     * @param virtLine the virtual timer's PPI (INTID 27 on QEMU virt)
     * @param physLine the EL1 physical timer's PPI (INTID 30)
     */
    public GenericTimer(VirtualClock clock, EventQueue queue, IrqLine virtLine, IrqLine physLine, GuestLog log) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.log = Objects.requireNonNull(log, "log");
        this.virt = new Channel("timer.cntv", Objects.requireNonNull(virtLine, "virtLine"));
        this.phys = new Channel("timer.cntp", Objects.requireNonNull(physLine, "physLine"));
    }

    /** One EL1 timer: CTL (ENABLE, IMASK) and CVAL, an output level and at most one scheduled event. */
    private final class Channel {
        final String label;
        final IrqLine line;
        long ctl;
        long cval;
        boolean level;
        EventQueue.Event event;

        Channel(String label, IrqLine line) {
            this.label = label;
            this.line = line;
        }

        boolean conditionMet(long now) {
            return Long.compareUnsigned(now, cval) >= 0;
        }

        long readCtl() {
            long now = clock.ticks();
            return ctl | ((ctl & CTL_ENABLE) != 0 && conditionMet(now) ? CTL_ISTATUS : 0);
        }

        /** Recomputes the output at {@code now} and schedules the deadline if it is still ahead. */
        void recompute(long now, boolean force) {
            boolean enabled = (ctl & CTL_ENABLE) != 0;
            boolean met = enabled && conditionMet(now);
            boolean out = met && (ctl & CTL_IMASK) == 0;
            if (out != level || force) {
                level = out;
                line.set(out);
            }
            if (event != null) {
                queue.cancel(event);
                event = null;
            }
            if (enabled && !met && (ctl & CTL_IMASK) == 0 && cval >= 0 && cval < HORIZON) {
                event = queue.schedule(cval, label, this::fire);
            }
        }

        private void fire(long tick) {
            // The event fires at the clock's time (the board runs due events at ticks()); never earlier than CVAL.
            recompute(Math.max(clock.ticks(), tick), false);
        }

        long nextDeadline() {
            return event == null ? Long.MAX_VALUE : event.tick();
        }
    }

    private Channel channelOf(int r) {
        if (r == V_CTL || r == V_CVAL || r == V_TVAL) {
            return virt;
        }
        return phys;
    }

    @Override
    public boolean handles(SysRegId reg) {
        return SYSTEM_REGISTERS.contains(reg);
    }

    @Override
    public long read(SysRegId reg) {
        int r = reg.packed();
        if (r == VCT || r == PCT || r == VCTSS || r == PCTSS) {
            return clock.ticks();
        } else if (r == FRQ) {
            return VirtualClock.FREQUENCY_HZ;
        } else if (r == V_CTL || r == P_CTL) {
            return channelOf(r).readCtl();
        } else if (r == V_CVAL || r == P_CVAL) {
            return channelOf(r).cval;
        } else if (r == V_TVAL || r == P_TVAL) {
            return (channelOf(r).cval - clock.ticks()) & 0xFFFF_FFFFL;
        } else if (r == KCTL) {
            return cntkctl;
        }
        log.error(NAME, "read of unknown system register " + reg);
        return 0;
    }

    @Override
    public void write(SysRegId reg, long value) {
        int r = reg.packed();
        if (r == V_CTL || r == P_CTL) {
            Channel c = channelOf(r);
            c.ctl = value & (CTL_ENABLE | CTL_IMASK);
            c.recompute(clock.ticks(), false);
        } else if (r == V_CVAL || r == P_CVAL) {
            Channel c = channelOf(r);
            c.cval = value;
            c.recompute(clock.ticks(), false);
        } else if (r == V_TVAL || r == P_TVAL) {
            Channel c = channelOf(r);
            long now = clock.ticks();
            c.cval = now + (long) (int) value;
            c.recompute(now, false);
        } else if (r == KCTL) {
            cntkctl = value & CNTKCTL_MASK;
        } else if (r == FRQ || r == VCT || r == PCT || r == VCTSS || r == PCTSS) {
            log.error(NAME, "write to read-only " + reg + " ignored");
        } else {
            log.error(NAME, "write to unknown system register " + reg);
        }
    }

    /** The earliest scheduled deadline of either timer, or {@link Long#MAX_VALUE}. */
    public long nextDeadline() {
        return Math.min(virt.nextDeadline(), phys.nextDeadline());
    }

    /** Output level of the virtual timer's line. */
    public boolean virtualLevel() {
        return virt.level;
    }

    /** Output level of the physical timer's line. */
    public boolean physicalLevel() {
        return phys.level;
    }

    /** Power-on state: both timers disabled (CTL 0, CVAL 0), lines low, nothing scheduled. */
    public void reset() {
        cntkctl = 0;
        for (Channel c : new Channel[] {virt, phys}) {
            c.ctl = 0;
            c.cval = 0;
            c.recompute(clock.ticks(), true);
        }
    }

    // ---- snapshot ----

    /** Timer registers; the counter itself is the {@link VirtualClock}'s state. */
    public record State(long virtCtl, long virtCval, long physCtl, long physCval, long cntkctl) { }

    public State save() {
        return new State(virt.ctl, virt.cval, phys.ctl, phys.cval, cntkctl);
    }

    /**
     * Restores the registers, then drives both lines and reschedules both
     * deadlines for the clock's current time: restore the clock (and the event
     * queue) first.
     */
    public void restore(State s) {
        long ctlMask = ~(CTL_ENABLE | CTL_IMASK);
        if (s == null || (s.virtCtl() & ctlMask) != 0 || (s.physCtl() & ctlMask) != 0 || (s.cntkctl() & ~CNTKCTL_MASK) != 0) {
            throw new IllegalArgumentException("corrupt generic timer state " + s);
        }
        cntkctl = s.cntkctl();
        virt.ctl = s.virtCtl();
        virt.cval = s.virtCval();
        phys.ctl = s.physCtl();
        phys.cval = s.physCval();
        // A restored event queue may hold this timer's events from the snapshot: drop them, schedule afresh.
        queue.cancelIf(e -> e.label().equals(virt.label) || e.label().equals(phys.label));
        long now = clock.ticks();
        virt.recompute(now, true);
        phys.recompute(now, true);
    }
}
