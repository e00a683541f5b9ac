package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.capture.CaptureFormatException;
import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.net.Station;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replays a recorded capture against a live guest: the guest plays one recorded
 * endpoint (rewritten to its live address and ports), the replayer plays the other
 * ({@link FlowReplay}), flow after flow in the order they start in the capture.
 *
 * <pre>{@code
 * Replayer r = Replayer.load(Path.of("echo.pcap"), ReplayOptions.defaults()
 *         .withMaps(ReplayOptions.parseMappings(List.of("127.0.0.1=10.0.2.15", "40007=7"))));
 * ReplayReport report = r.run(wire, 2_000_000_000L);   // the wire's board booted to "ready"
 * }</pre>
 *
 * <p>The replayer is a {@link Station} on the {@link VirtualWire} while it runs
 * (offered the guest's frames before the scripted peer and the host side), so
 * the wire's queue, taps, loss model and captures see the replay. Everything
 * happens on the board's event queue in virtual time: the replayer answers from
 * a board event (never from inside the guest's transmit). The wire's ARP table
 * answers for the replayed peer: every address but the guest's and the host's
 * resolves to the peer's MAC.
 */
public final class Replayer {

    private final String name;
    private final ReplayOptions options;
    private final List<RecordedFlow> flows;
    private final List<String> warnings;

    private Replayer(String name, ReplayOptions options, List<RecordedFlow> flows, List<String> warnings) {
        this.name = name;
        this.options = options;
        this.flows = flows;
        this.warnings = warnings;
    }

    /** Reads and plans the replay of {@code file} (pcap or pcapng). */
    public static Replayer load(Path file, ReplayOptions options) throws ReplayInputException {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new ReplayInputException(file + " is a directory: name a pcap or pcapng file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ReplayInputException(file + ": no such file");
        } catch (IOException e) {
            throw new ReplayInputException(file + ": cannot read it (" + e.getMessage() + ")", e);
        }
        return of(file.toString(), bytes, options);
    }

    /** Plans the replay of a capture held in memory; {@code name} is how messages call it. */
    public static Replayer of(String name, byte[] capture, ReplayOptions options) throws ReplayInputException {
        CaptureReader.Capture c;
        try {
            c = CaptureReader.read(capture);
        } catch (CaptureFormatException e) {
            throw new ReplayInputException(name + ": " + e.getMessage()
                    + (e.offset() >= 0 && !e.getMessage().contains("offset") ? " (offset " + e.offset() + ")" : ""), e);
        }
        List<String> warnings = new ArrayList<>(c.warnings());
        List<RecordedFlow> flows = FlowSelector.select(name, c, options, warnings);
        return new Replayer(name, options, flows, List.copyOf(warnings));
    }

    public List<RecordedFlow> flows() {
        return flows;
    }

    /** What the capture reader tolerated (trailing bytes and the like) and flows left out (no handshake). */
    public List<String> warnings() {
        return warnings;
    }

    public ReplayOptions options() {
        return options;
    }

    /** Replays every flow against the guest on {@code wire} (booted, its services listening) within {@code maxInstructions}. */
    public ReplayReport run(VirtualWire wire, long maxInstructions) {
        return new Run(wire).go(maxInstructions);
    }

    /** One replay's state: the flows' engines, the pending pump event. */
    private final class Run implements Station {
        private final VirtualWire wire;
        private final Board board;
        private final List<FlowReplay> replays = new ArrayList<>();
        private int current;
        private boolean active = true;
        private boolean finished;
        private EventQueue.Event pending;

        Run(VirtualWire wire) {
            this.wire = wire;
            this.board = wire.board();
            for (RecordedFlow f : flows) {
                replays.add(FlowReplay.of(f, options, this::inject));
            }
        }

        ReplayReport go(long maxInstructions) {
            wire.addStation(this);
            schedule(board.clock().ticks());
            ReplayReport.Outcome outcome = null;
            String detail = "";
            try {
                Stop stop = board.run(RunUntil.budget(maxInstructions).when("the replay finished", () -> finished));
                if (!finished && stop.cause() == StopCause.BUDGET_EXHAUSTED) {
                    outcome = ReplayReport.Outcome.BUDGET_EXHAUSTED;
                    detail = "instruction budget of " + maxInstructions + " exhausted during flow " + (current + 1)
                            + " of " + replays.size();
                } else if (!finished) {
                    outcome = ReplayReport.Outcome.DIVERGED;
                    detail = "the guest stopped during flow " + (current + 1) + ": " + stop;
                }
            } finally {
                active = false;
                wire.removeStation(this);
                board.events().cancel(pending);
            }
            List<ReplayReport.FlowReport> reports = replays.stream().map(FlowReplay::report).toList();
            if (outcome == null) {
                boolean diverged = reports.stream().anyMatch(f -> f.divergence() != null);
                outcome = diverged ? ReplayReport.Outcome.DIVERGED : ReplayReport.Outcome.CONSISTENT;
            }
            return new ReplayReport(name, reports, outcome, detail, board.trace().hex());
        }

        @Override
        public MacAddress arp(Ipv4Address address) {
            return active && !address.equals(options.guestAddress()) ? options.peerMac() : null;
        }

        /** A frame from the guest (inside its transmit: only note it and ask for a pump). */
        @Override
        public boolean fromGuest(Packet p, byte[] frame) {
            if (!active || current >= replays.size() || !replays.get(current).matches(p)) {
                return false;
            }
            long now = board.clock().ticks();
            replays.get(current).onGuest(p, now);
            schedule(now);
            return true;
        }

        private void inject(byte[] frame) {
            wire.injectAt(board.clock().ticks(), frame);
        }

        private void schedule(long tick) {
            if (pending != null && !pending.cancelled() && pending.tick() <= tick) {
                return;
            }
            board.events().cancel(pending);
            pending = board.events().schedule(Math.max(tick, board.clock().ticks()), "replay", this::fire);
        }

        private void fire(long tick) {
            pending = null;
            if (!active) {
                return;
            }
            long now = board.clock().ticks();
            while (current < replays.size()) {
                FlowReplay f = replays.get(current);
                long wake = f.pump(now);
                if (!f.done) {
                    if (wake != Long.MAX_VALUE) {
                        schedule(wake);
                    }
                    return;
                }
                current++;
            }
            finished = true; // the run's condition: it ends here
        }
    }
}
