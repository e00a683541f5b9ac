package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.replay.ReplayInputException;
import dev.wirelab.emulator.replay.ReplayOptions;
import dev.wirelab.emulator.replay.ReplayReport;
import dev.wirelab.emulator.replay.Replayer;
import dev.wirelab.emulator.wire.Ipv4Address;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelab replay}: replay a recorded capture's peer side against the live guest and compare. */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Replays a pcap/pcapng capture against the guest: the guest plays one recorded endpoint, wirelab "
                + "the other (TCP sequence numbers rebased onto the guest's live ISN, paced by its window and ACKs in "
                + "virtual time), and the guest's packets are compared with the recorded ones.",
                "Exit code: 0 consistent with the recording, 1 divergence found, 2 bad input, 124 budget exhausted."})
public final class ReplayCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "CAPTURE", description = "The capture to replay (pcap or pcapng).")
    Path capture;

    @Option(names = "--capture", paramLabel = "FILE.pcapng",
            description = "Record the replayed exchange (every frame on the wire) to FILE.pcapng, timestamps virtual.")
    Path record;

    @Parameters(index = "1", arity = "0..1", paramLabel = "IMAGE",
            description = "Guest image (default: the embedded default guest).")
    Path image;

    @Mixin
    BoardOptions board;

    @Option(names = "--guest-ip", paramLabel = "IP",
            description = "Recorded address of the endpoint the guest replaces (default: the TCP server of the first flow).")
    String guestIp;

    @Option(names = "--map", paramLabel = "OLD=NEW",
            description = "Rewrite an address or port, e.g. --map 192.168.1.5=10.0.2.15 --map 8080=7 (repeatable). "
                    + "The guest's side becomes 10.0.2.15 and the peer 10.0.2.2 unless mapped.")
    List<String> maps = new ArrayList<>();

    @ArgGroup(exclusive = true)
    Pacing pacing;

    static final class Pacing {
        @Option(names = "--as-fast", description = "Send as fast as the guest's window and ACKs allow (default).")
        boolean asFast;

        @Option(names = "--timing", description = "Also keep the recorded gaps between frames, in virtual time.")
        boolean timing;
    }

    @Mixin
    ImageFormatOption format;

    @Option(names = "--ready", paramLabel = "TEXT", defaultValue = "wirelab-guest: ready",
            description = "Console text that says the guest's services listen (default: '${DEFAULT-VALUE}').")
    String ready;

    @Option(names = "--max-insns", paramLabel = "N", converter = Numbers.Count.class, defaultValue = "4_000_000_000",
            description = "Instruction budget for boot and replay; when it runs out the exit code is 124 (default: 4,000,000,000).")
    long maxInsns;

    @Option(names = "--console", description = "Echo the guest's console to stdout.")
    boolean console;

    @Mixin
    TraceHashOption traceHash;

    public ReplayCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        ReplayOptions options = ReplayOptions.defaults()
                .withPacing(pacing != null && pacing.timing ? ReplayOptions.Pacing.TIMING : ReplayOptions.Pacing.AS_FAST);
        Replayer replayer;
        try {
            if (guestIp != null) {
                try {
                    options = options.withGuestIp(Ipv4Address.parse(guestIp));
                } catch (IllegalArgumentException e) {
                    throw new UserError("bad --guest-ip '" + guestIp + "': " + e.getMessage());
                }
            }
            options = options.withMaps(ReplayOptions.parseMappings(maps));
            replayer = Replayer.load(capture, options);
        } catch (ReplayInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        for (String w : replayer.warnings()) {
            io.err().println("wirelab: warning: " + capture + ": " + w);
        }
        if (record != null) {
            CaptureFile.checkWritable(record); // before the run, not after it
        }
        BootImages.Format fmt = format.format();
        BootImage guest = image == null ? GuestImage.defaultGuest(io) : GuestImage.file(image, fmt, null);
        try (Board b = Board.create(board.config())) {
            try {
                b.load(guest);
            } catch (IllegalArgumentException e) {
                throw new UserError(guest.name() + ": " + e.getMessage(), e);
            }
            if (console) {
                b.console().echoTo(io.out());
            }
            Stop r = b.run(RunUntil.budget(maxInsns).printed(ready));
            if (r.cause() == StopCause.BUDGET_EXHAUSTED) {
                io.err().println("wirelab: instruction budget of " + maxInsns + " exhausted before the guest printed '"
                        + ready + "'");
                return ExitCodes.BUDGET_EXHAUSTED;
            }
            if (r.cause() != StopCause.CONSOLE_MATCH) {
                io.err().println("wirelab: " + guest.name() + " stopped before printing '" + ready + "' (" + r
                        + "): replay needs a guest whose services listen; name its ready line with --ready");
                // a guest that ends on its own is the wrong image (bad input); a fault keeps its own code
                return r.cause() == StopCause.GUEST_EXIT ? ExitCodes.BAD_INPUT : ExitCodes.of(r);
            }
            long used = b.clock().instructions();
            // The wire joins after boot: the replayer is a station on it, and boot stays as it was.
            VirtualWire wire = VirtualWire.attach(b);
            CaptureFile recording = record == null ? null : CaptureFile.record(wire, record);
            ReplayReport report;
            try {
                report = replayer.run(wire, maxInsns - used);
                io.out().flush();
                io.out().print(report.text());
            } finally {
                if (recording != null) {
                    recording.finish("", io.out(), io.err());
                }
            }
            if (traceHash.enabled()) {
                TraceHashOption.print(io.out(), report.traceHash());
            }
            io.out().flush();
            return report.exitCode();
        }
    }
}
