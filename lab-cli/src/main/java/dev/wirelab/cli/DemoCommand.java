package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.net.CaptureRecorder;
import dev.wirelab.emulator.net.IcmpEchoResponder;
import dev.wirelab.emulator.net.TcpConnection;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.time.VirtualClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wirelab demo}: the lab in one run. Boots the embedded default guest on
 * the virtual network, pings it, talks TCP to its echo and HTTP services,
 * preempts its TCP input path with a timer tick at an exact instruction, and
 * replays that from a snapshot to show the run is bit-identical.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Boots the embedded default guest on wirelab's virtual network and exercises it:",
                "ping, TCP echo, HTTP, a timer tick forced inside tcp_input, and a replay from a snapshot.",
                "Exit code 0 when every step checked out, 1 when one did not."})
public final class DemoCommand implements Callable<Integer> {
    static final String READY = "wirelab-guest: ready";
    static final String MESSAGE = "hello from the wire";

    private final Io io;
    private final List<String> results = new ArrayList<>();
    private int failed;

    @Mixin
    BoardOptions board;

    @Option(names = "--capture", paramLabel = "FILE",
            description = "Also write every frame (both directions, virtual timestamps) to this pcapng file.")
    Path capture;

    public DemoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws IOException {
        if (capture != null) {
            CaptureFile.checkWritable(capture);   // before the demo runs, not after it
        }
        var config = board.config();
        BootImage guest = GuestImage.defaultGuest(io);
        Frame.print(io.out(), "wirelab demo", List.of(
                "Boots " + guest.name() + " on the virt-like AArch64 board (" + (config.ramSize() >> 20) + " MiB, GICv"
                        + config.gicVersion() + ", virtio-net) attached to a virtual network",
                "addressed like QEMU's user network: guest 10.0.2.15, host 10.0.2.2.",
                "Time is counted in guest instructions and never read from the host clock."));
        try (Board b = Board.create(config)) {
            VirtualWire wire = VirtualWire.attach(b);
            // Without --capture the frames are only counted, for the summary.
            try (CaptureFile file = capture == null ? null : CaptureFile.record(wire, capture);
                 CaptureRecorder counted = file == null ? CaptureRecorder.inMemory(wire) : null) {
                b.console().echoTo(io.out());
                b.load(guest);
                Stop booted = b.run(RunUntil.budget(500_000_000).printed(READY));
                if (booted.cause() != StopCause.CONSOLE_MATCH) {
                    throw new UserError("the default guest did not get ready: " + booted);
                }
                b.console().echoTo(null);
                io.out().println();
                ping(wire);
                echo(wire);
                http(wire);
                try (Snapshot before = b.snapshot()) {
                    String first = preempt(b, wire, "");
                    if (file != null) {
                        // The replay re-lives the same virtual time on the same connections: in the file it would
                        // run backwards in time and read as retransmissions, so the capture ends here.
                        file.close();
                    }
                    b.restore(before);
                    String second = preempt(b, wire, "again, from the snapshot: ");
                    check(first.equals(second), "replayed from a snapshot: trace hash " + abbreviate(second)
                            + (first.equals(second) ? " both times - bit-identical" : " differs from " + abbreviate(first)));
                }
                summary(b, file != null ? file.frames() : counted.frames(), file);
            }
        }
        return failed == 0 ? 0 : 1;
    }

    private void ping(VirtualWire wire) {
        int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 56);
        wire.await("the guest's echo reply", () -> wire.icmp().answered(seq));
        IcmpEchoResponder.Reply reply = wire.icmp().replies().getLast();
        check(reply.sequence() == seq, String.format(Locale.ROOT, "ping 10.0.2.15: reply in %s of virtual time",
                micros(reply.rttTicks())));
    }

    private void echo(VirtualWire wire) {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
        c.send(MESSAGE).awaitReceived(MESSAGE.length());
        String back = c.readString();
        c.close();
        c.awaitClosed();
        check(back.equals(MESSAGE), "TCP echo on port 7 <" + c.options() + ">: sent '" + MESSAGE + "', got '" + back + "'");
    }

    private void http(VirtualWire wire) {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 80).awaitEstablished();
        c.send("GET / HTTP/1.0\r\nHost: 10.0.2.15\r\n\r\n").awaitPeerClosed();
        String reply = c.readString();
        c.close();
        String status = reply.lines().findFirst().orElse("");
        check(status.startsWith("HTTP/1.") && status.contains("200"), "HTTP GET / on port 80: " + status + ", "
                + reply.length() + " bytes");
    }

    /**
     * Connects to the echo service with a breakpoint on lwIP's tcp_input, forces
     * a timer tick the moment the guest's stack starts processing the SYN, and
     * checks the connection still works. Returns the trace hash.
     */
    private String preempt(Board b, VirtualWire wire, String label) {
        TcpConnection c = wire.tcp().connect("10.0.2.15", 7);
        Stop hit = b.run(RunUntil.budget(50_000_000).at("tcp_input"));
        long at = b.clock().instructions();
        b.tick();
        c.awaitEstablished().send(MESSAGE).awaitReceived(MESSAGE.length());
        String back = c.readString();
        c.close();
        c.awaitClosed();
        boolean ok = hit.cause() == StopCause.BREAKPOINT && back.equals(MESSAGE);
        check(ok, String.format(Locale.ROOT, "%stimer tick forced inside tcp_input at instruction %,d: echo still '%s'",
                label, at, back));
        return b.trace().hex();
    }

    private void summary(Board b, long frames, CaptureFile file) {
        long ticks = b.clock().ticks();
        List<String> lines = new ArrayList<>(results);
        lines.add("");
        lines.add(String.format(Locale.ROOT, "instructions: %,d   virtual time: %s   frames on the wire: %,d",
                b.clock().instructions(), micros(ticks), frames));
        lines.add("trace hash:   " + b.trace().hex());
        if (file != null) {
            lines.add("capture:      " + capture + " (" + frames + " frames, up to the replay from the snapshot); "
                    + "open it in Wireshark, timestamps are virtual");
        }
        lines.add(failed == 0 ? "All steps checked out. Run it again: the same hash, on any machine."
                : failed + " step(s) failed.");
        Frame.print(io.out(), "what happened", lines);
    }

    private void check(boolean ok, String what) {
        if (!ok) {
            failed++;
        }
        results.add((ok ? "ok    " : "FAIL  ") + what);
    }

    private static String micros(long ticks) {
        double us = ticks * (double) VirtualClock.NANOS_PER_TICK / 1000;
        return us >= 10_000 ? String.format(Locale.ROOT, "%,.3f ms", us / 1000) : String.format(Locale.ROOT, "%,.1f us", us);
    }

    private static String abbreviate(String hash) {
        return hash.substring(0, 16) + "...";
    }
}
