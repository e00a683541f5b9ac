package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.capture.CaptureFormatException;
import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.wire.ArpPacket;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Packet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Replays a recorded capture against a live guest: the guest plays one recorded
 * endpoint (rewritten to its live address and ports), the replayer plays the other
 * ({@link FlowReplay}), flow after flow in the order they start in the capture.
 *
 * <pre>{@code
 * Replayer r = Replayer.load(Path.of("echo.pcap"), ReplayOptions.defaults()
 *         .withMaps(ReplayOptions.parseMappings(List.of("127.0.0.1=10.0.2.15", "40007=7"))));
 * ReplayReport report = r.run(board, 2_000_000_000L);   // board booted to "ready"
 * }</pre>
 *
 * <p>Everything happens on the board's event queue in virtual time: the guest's
 * frames arrive through {@link Board#onGuestFrame}, the replayer answers from a
 * board event (never from inside the guest's transmit). It also answers the
 * guest's ARP requests for any address but its own with the peer's MAC, so the
 * replayed peer (and the gateway) are reachable without a virtual wire.
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

    /** Replays every flow against {@code board} (booted, its services listening) within {@code maxInstructions}. */
    public ReplayReport run(Board board, long maxInstructions) {
        return new Run(board).go(maxInstructions);
    }

    /** One replay's state: the flows' engines, the ARP replies owed, the pending pump event. */
    private final class Run {
        private final Board board;
        private final List<FlowReplay> replays = new ArrayList<>();
        private final Deque<byte[]> arpReplies = new ArrayDeque<>();
        private int current;
        private boolean active = true;
        private boolean finished;
        private EventQueue.Event pending;

        Run(Board board) {
            this.board = board;
            for (RecordedFlow f : flows) {
                replays.add(FlowReplay.of(f, options, this::inject));
            }
        }

        ReplayReport go(long maxInstructions) {
            board.onGuestFrame(this::guestFrame);
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
                board.events().cancel(pending);
            }
            List<ReplayReport.FlowReport> reports = replays.stream().map(FlowReplay::report).toList();
            if (outcome == null) {
                boolean diverged = reports.stream().anyMatch(f -> f.divergence() != null);
                outcome = diverged ? ReplayReport.Outcome.DIVERGED : ReplayReport.Outcome.CONSISTENT;
            }
            return new ReplayReport(name, reports, outcome, detail, board.trace().hex());
        }

        /** A frame from the guest (inside its transmit: only note it and ask for a pump). */
        private void guestFrame(byte[] frame) {
            if (!active) {
                return;
            }
            Packet p = Packet.parse(frame);
            long now = board.clock().ticks();
            ArpPacket arp = p.arp();
            if (arp != null && arp.operation() == ArpPacket.REQUEST && !arp.targetProtocol().equals(options.guestAddress())
                    && !arp.targetProtocol().equals(arp.senderProtocol())) {
                arpReplies.add(EthernetFrame.builder().destination(arp.senderHardware()).source(options.peerMac())
                        .payload(ArpPacket.reply(options.peerMac(), arp.targetProtocol(), arp.senderHardware(),
                                arp.senderProtocol()).asPayload())
                        .encode());
                schedule(now);
                return;
            }
            if (current < replays.size() && replays.get(current).matches(p)) {
                replays.get(current).onGuest(p, now);
                schedule(now);
            }
        }

        private void inject(byte[] frame) {
            board.injectFrame(frame);
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
            while (!arpReplies.isEmpty()) {
                inject(arpReplies.poll());
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
