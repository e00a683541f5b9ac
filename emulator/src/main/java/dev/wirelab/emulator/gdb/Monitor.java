package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.board.TraceHash;
import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.capture.CapturedFrame;
import dev.wirelab.emulator.net.VirtualWire;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The lab's {@code monitor} commands (GDB's qRcmd). Commands that change the
 * machine (tick, restore, inject) start the debugger's history again there.
 * Every answer is text for GDB's console; a bad command says what to type.
 */
public final class Monitor implements GdbSession.MonitorHandler {
    private static final String HELP = """
            wirelab monitor commands:
              tick                 raise the timer interrupt now
              snapshot NAME        keep the whole machine as NAME
              restore NAME         put the machine back to snapshot NAME
              time                 instructions and virtual time now
              trace last N         the last N trace events (kind, instruction) and the trace hash
              trace hash           the trace hash so far
              inject FILE.pcap     hand every Ethernet frame in a capture to the guest now
              phys on|off          memory packets use physical (on) or virtual addresses (off, default)
              history              the reverse-execution history kept
              help                 this text
            """;

    private final BoardTarget target;
    private final VirtualWire wire;
    private final Map<String, Snapshot> snapshots = new HashMap<>();

    /** {@code wire} may be null (no network attached): {@code inject} then says so. */
    public Monitor(BoardTarget target, VirtualWire wire) {
        this.target = target;
        this.wire = wire;
    }

    @Override
    public String run(String command) {
        String[] w = command.trim().split("\\s+");
        Board board = target.board();
        return switch (w[0]) {
            case "help", "" -> HELP;
            case "tick" -> {
                board.tick();
                target.machineChanged();
                yield "timer interrupt raised at instruction " + board.clock().instructions() + "\n";
            }
            case "time" -> String.format("instructions %d, virtual time %d ticks (%s)%n", board.clock().instructions(),
                    board.clock().ticks(), formatTicks(board.clock().ticks()));
            case "snapshot" -> {
                if (w.length != 2) {
                    yield "usage: monitor snapshot NAME\n";
                }
                Snapshot old = snapshots.put(w[1], board.snapshot());
                if (old != null) {
                    old.close();
                }
                yield "snapshot " + w[1] + " at instruction " + board.clock().instructions() + "\n";
            }
            case "restore" -> {
                Snapshot s = w.length == 2 ? snapshots.get(w[1]) : null;
                if (s == null) {
                    yield "usage: monitor restore NAME (known: " + String.join(", ", snapshots.keySet().stream().sorted().toList())
                            + ")\n";
                }
                board.restore(s);
                target.machineChanged();
                yield "restored " + w[1] + ": instruction " + board.clock().instructions() + "\n";
            }
            case "trace" -> trace(board.trace(), w);
            case "inject" -> inject(w);
            case "phys" -> {
                if (w.length != 2 || !(w[1].equals("on") || w[1].equals("off"))) {
                    yield "usage: monitor phys on|off (now " + (target.physical() ? "on" : "off") + ")\n";
                }
                target.physical(w[1].equals("on"));
                yield "memory addresses are " + (target.physical() ? "physical" : "virtual") + "\n";
            }
            case "history" -> target.historySummary() + "\n";
            default -> "unknown monitor command '" + w[0] + "'; try 'monitor help'\n";
        };
    }

    private static String trace(TraceHash trace, String[] w) {
        if (w.length == 2 && w[1].equals("hash")) {
            return "trace hash " + trace.hex() + "\n";
        }
        int n;
        try {
            n = w.length == 3 && w[1].equals("last") ? Integer.parseInt(w[2]) : -1;
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 0) {
            return "usage: monitor trace last N | monitor trace hash\n";
        }
        List<TraceHash.Entry> all = trace.entries();
        StringBuilder s = new StringBuilder();
        for (TraceHash.Entry e : all.subList(Math.max(0, all.size() - n), all.size())) {
            s.append(String.format("%c at instruction %d (payload %08x)%n", e.kind(), e.instruction(), e.payloadHash()));
        }
        return s.append("trace hash ").append(trace.hex()).append('\n').toString();
    }

    private String inject(String[] w) {
        if (w.length != 2) {
            return "usage: monitor inject FILE.pcap\n";
        }
        if (wire == null) {
            return "no virtual wire on this machine: nothing to inject into\n";
        }
        Path file = Path.of(w[1]);
        if (!Files.isRegularFile(file)) {
            return "no such capture file: " + file + "\n";
        }
        CaptureReader.Capture capture;
        try {
            capture = CaptureReader.read(file);
        } catch (IOException | RuntimeException e) {
            return "cannot read " + file + ": " + e.getMessage() + "\n";
        }
        int n = 0;
        for (CapturedFrame f : capture.frames()) {
            if (f.linkType() == 1) { // Ethernet
                wire.inject(f.data());
                n++;
            }
        }
        target.machineChanged();
        return "injected " + n + " Ethernet frame(s) from " + file + "\n";
    }

    private static String formatTicks(long ticks) {
        long ns = ticks * dev.wirelab.emulator.time.VirtualClock.NANOS_PER_TICK;
        return String.format("%d.%06d ms", ns / 1_000_000, ns % 1_000_000);
    }

    /** Drops the named snapshots. */
    public void close() {
        for (Snapshot s : snapshots.values()) {
            s.close();
        }
        snapshots.clear();
    }
}
