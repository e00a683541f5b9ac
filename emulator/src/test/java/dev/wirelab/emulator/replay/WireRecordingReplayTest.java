package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.TestImages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.net.CaptureRecorder;
import dev.wirelab.emulator.net.TcpConnection;
import dev.wirelab.emulator.net.VirtualWire;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Record and replay: a session with the guest recorded by wirelab itself (the
 * virtual wire's host TCP talking to the echo service, captured as pcapng) replays
 * consistently against a fresh guest, without the wire: the replayer plays the host.
 */
class WireRecordingReplayTest {
    @Test
    void ownRecordingReplaysConsistently() throws Exception {
        byte[] capture;
        String text = "recorded by wirelab, replayed by wirelab\n".repeat(100); // 4100 bytes: several segments
        try (Board board = Board.create(BoardConfig.defaults())) {
            VirtualWire wire = VirtualWire.attach(board);
            TestImages.bootDefaultGuest(board);
            try (CaptureRecorder rec = CaptureRecorder.inMemory(wire)) {
                TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
                c.send(text);
                c.awaitReceived(text.length());
                assertEquals(text, new String(c.read(), StandardCharsets.US_ASCII));
                c.close();
                c.awaitClosed();
                capture = rec.bytes();
            }
        }
        Replayer r = Replayer.of("wire.pcapng", capture, ReplayOptions.defaults());
        assertEquals(1, r.flows().size(), r.flows().toString());
        assertEquals("10.0.2.15", r.flows().get(0).guestIp().toString());
        try (Board board = GuestBoards.ready()) {
            ReplayReport report = r.run(VirtualWire.attach(board), 2_000_000_000L);
            assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
            assertTrue(report.flows().get(0).accepted() >= 4, report.text());
        }
    }
}
