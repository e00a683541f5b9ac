package dev.wirelab.emulator.device;

import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;

import java.util.Objects;

/**
 * Arm PrimeCell PL031 real-time clock (DDI 0224), as QEMU's hw/rtc/pl031.c:
 * a 32-bit seconds counter, a match register raising one level interrupt, and
 * the PrimeCell ID registers.
 *
 * <p>The counter runs on virtual time only: {@code RTCDR = epoch + offset +
 * ticks / 62.5 MHz} (mod 2^32), where the epoch is fixed at construction
 * ({@link #DEFAULT_EPOCH} = 2026-01-01T00:00:00Z) and never taken from the
 * host clock. A match is scheduled on the {@link EventQueue} at the exact tick
 * the counter reaches RTCMR. As in QEMU, the RTC is permanently enabled
 * (RTCCR reads 1, writes are ignored) and any write to RTCICR clears the
 * interrupt.
 */
public final class Pl031 implements MmioDevice {
    public static final long DEFAULT_EPOCH = 1_767_225_600L;

    static final int RTCDR = 0x000;   // data (current seconds), RO
    static final int RTCMR = 0x004;   // match
    static final int RTCLR = 0x008;   // load
    static final int RTCCR = 0x00C;   // control (start)
    static final int RTCIMSC = 0x010; // interrupt mask set/clear
    static final int RTCRIS = 0x014;  // raw interrupt status, RO
    static final int RTCMIS = 0x018;  // masked interrupt status, RO
    static final int RTCICR = 0x01C;  // interrupt clear, WO
    static final int ID_BASE = 0xFE0; // PeriphID0..3, PCellID0..3

    /** PeriphID 0x00141031 (PL031 r1, as QEMU), PCellID 0xB105F00D. */
    private static final int[] ID_REGS = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

    private static final String NAME = "pl031";
    private static final String EVENT = "pl031.match";

    private final long base;
    private final VirtualClock clock;
    private final EventQueue queue;
    private final IrqLine irq;
    private final GuestLog log;
    private final long epoch;

    /** Seconds added to the virtual seconds since reset (epoch + every RTCLR adjustment), mod 2^32. */
    private int offset;
    /** The register window (one page). */
    public static final long SIZE = 0x1000;

    private int mr;
    private int lr;
    private int im;
    private int is;
    private EventQueue.Event alarm;

    /** @param epochSeconds what RTCDR reads at virtual time 0 (Unix seconds; only the low 32 bits count) */
    public Pl031(long base, VirtualClock clock, EventQueue queue, IrqLine irq, GuestLog log, long epochSeconds) {
        this.base = base;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.queue = Objects.requireNonNull(queue, "queue");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.log = Objects.requireNonNull(log, "log");
        this.epoch = epochSeconds;
        reset();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public void reset() {
        cancelAlarm();
        offset = (int) epoch;
        mr = 0;
        lr = 0;
        im = 0;
        is = 0;
        irq.set(false);
    }

    private static long seconds(long ticks) {
        return ticks / VirtualClock.FREQUENCY_HZ;
    }

    /** RTCDR now. */
    public int count() {
        return offset + (int) seconds(clock.ticks());
    }

    /** The tick the match interrupt is scheduled for, or -1. */
    public long alarmTick() {
        return alarm == null ? -1 : alarm.tick();
    }

    private void cancelAlarm() {
        if (alarm != null) {
            queue.cancel(alarm);
            alarm = null;
        }
    }

    private void update() {
        irq.set((is & im) != 0);
    }

    private void match(long tick) {
        alarm = null;
        is = 1;
        update();
    }

    /** Arms the match for when RTCDR next equals RTCMR (at once if it does now). */
    private void setAlarm() {
        cancelAlarm();
        long now = clock.ticks();
        long delta = Integer.toUnsignedLong(mr - (offset + (int) seconds(now)));
        if (delta == 0) {
            match(now);
            return;
        }
        scheduleAt((seconds(now) + delta) * VirtualClock.FREQUENCY_HZ);
    }

    private void scheduleAt(long tick) {
        alarm = queue.schedule(tick, EVENT, this::match);
    }

    @Override
    public long read(long at, int size) {
        if (size != 4 || (at & 3) != 0 || at < 0 || at >= size()) {
            log.error(NAME, "bad read of size " + size + " at offset 0x" + Long.toHexString(at));
            return 0;
        }
        int off = (int) at;
        if (off >= ID_BASE) {
            return ID_REGS[(off - ID_BASE) >> 2];
        }
        return Integer.toUnsignedLong(switch (off) {
            case RTCDR -> count();
            case RTCMR -> mr;
            case RTCLR -> lr;
            case RTCCR -> 1; // permanently enabled
            case RTCIMSC -> im;
            case RTCRIS -> is;
            case RTCMIS -> is & im;
            case RTCICR -> {
                log.error(NAME, "read of write-only RTCICR");
                yield 0;
            }
            default -> {
                log.error(NAME, "read of unknown offset 0x" + Integer.toHexString(off));
                yield 0;
            }
        });
    }

    @Override
    public void write(long at, int size, long value) {
        if (size != 4 || (at & 3) != 0 || at < 0 || at >= size()) {
            log.error(NAME, "bad write of size " + size + " at offset 0x" + Long.toHexString(at));
            return;
        }
        int off = (int) at;
        int v = (int) value;
        switch (off) {
            case RTCLR -> {
                lr = v;
                offset = v - (int) seconds(clock.ticks());
                setAlarm();
            }
            case RTCMR -> {
                mr = v;
                setAlarm();
            }
            case RTCIMSC -> {
                im = v & 1;
                update();
            }
            case RTCICR -> {
                is = 0;
                update();
            }
            case RTCCR -> { } // permanently enabled: written value ignored
            case RTCDR, RTCRIS, RTCMIS -> log.error(NAME, "write to read-only offset 0x" + Integer.toHexString(off));
            default -> log.error(NAME, "write to " + (off >= ID_BASE ? "read-only" : "unknown") + " offset 0x" + Integer.toHexString(off));
        }
    }

    // ---- snapshot ----

    /** Registers plus the armed match tick (-1 when none). */
    public record State(int offset, int mr, int lr, int im, int is, long alarmTick) { }

    public State save() {
        return new State(offset, mr, lr, im, is, alarmTick());
    }

    /**
     * Restores the registers, drives the line and re-arms the match at the
     * saved tick (restore the clock and the event queue first; a match event
     * the restored queue already holds is replaced).
     */
    public void restore(State s) {
        if (s == null || (s.im() & ~1) != 0 || (s.is() & ~1) != 0 || s.alarmTick() < -1) {
            throw new IllegalArgumentException("corrupt PL031 state " + s);
        }
        cancelAlarm();
        queue.cancelIf(e -> e.label().equals(EVENT));
        offset = s.offset();
        mr = s.mr();
        lr = s.lr();
        im = s.im();
        is = s.is();
        if (s.alarmTick() >= 0) {
            scheduleAt(s.alarmTick());
        }
        update();
    }
}
