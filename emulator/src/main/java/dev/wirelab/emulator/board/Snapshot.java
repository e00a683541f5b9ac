package dev.wirelab.emulator.board;

import dev.wirelab.emulator.device.Console;
import dev.wirelab.emulator.device.Pl011;
import dev.wirelab.emulator.device.Pl031;
import dev.wirelab.emulator.device.gic.GicState;
import dev.wirelab.emulator.device.timer.GenericTimer;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.emulator.unicorn.UcContext;

import java.util.List;

/**
 * A whole machine at one instant: CPU (with system registers), RAM, every
 * device, the clock, the event queue and the trace so far. Restoring it on the
 * board that took it makes the rest of the run bit-identical to the original.
 * Holds native memory: close it when done.
 */
public final class Snapshot implements AutoCloseable {
    final Board owner;
    final UcContext cpu;
    final RamSnapshot ram;
    final VirtualClock.State clock;
    final EventQueue.State events;
    final Console.State console;
    final Pl011.State uart;
    final GicState gic;
    final GenericTimer.State timer;
    final Pl031.State rtc;
    final List<Snapshottable.Saved<?>> extensions;
    final TraceHash trace;
    final Board.RunState run;

    Snapshot(Board owner, UcContext cpu, RamSnapshot ram, VirtualClock.State clock, EventQueue.State events,
             Console.State console, Pl011.State uart, GicState gic, GenericTimer.State timer, Pl031.State rtc,
             List<Snapshottable.Saved<?>> extensions, TraceHash trace, Board.RunState run) {
        this.owner = owner;
        this.cpu = cpu;
        this.ram = ram;
        this.clock = clock;
        this.events = events;
        this.console = console;
        this.uart = uart;
        this.gic = gic;
        this.timer = timer;
        this.rtc = rtc;
        this.extensions = extensions;
        this.trace = trace;
        this.run = run;
    }

    /** Retired instructions at the snapshot. */
    public long instructions() {
        return clock.instructions();
    }

    /** Guest RAM bytes the snapshot holds (only pages in use). */
    public long ramBytes() {
        return ram.bytes();
    }

    @Override
    public void close() {
        cpu.close();
        ram.close();
    }
}
