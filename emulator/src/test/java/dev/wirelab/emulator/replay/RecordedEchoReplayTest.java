package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.net.VirtualWire;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The suite records its own capture of a real exchange (a Java echo server on
 * 127.0.0.1 under tcpdump) and replays the client's side against the default
 * guest's echo service on port 7: the guest must answer as the recorded server did.
 */
class RecordedEchoReplayTest {
    static final byte[] MESSAGE = "hello wirelab, echo this back\n".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    static LoopbackRecorder.Recording rec;

    @BeforeAll
    static void record() throws Exception {
        rec = LoopbackRecorder.record(dir.resolve("echo-lo.pcap"), MESSAGE);
    }

    static ReplayReport replay(ReplayOptions.Pacing pacing) throws Exception {
        return replay(pacing, "127.0.0.1=10.0.2.15");
    }

    static ReplayReport replay(ReplayOptions.Pacing pacing, String guestMap) throws Exception {
        assumeTrue(rec != null, LoopbackRecorder.skipReason);
        ReplayOptions o = ReplayOptions.defaults().withPacing(pacing).withMaps(ReplayOptions.parseMappings(
                List.of(guestMap, rec.serverPort() + "=7")));
        Replayer r = Replayer.load(rec.file(), o);
        try (Board board = GuestBoards.ready()) {
            return r.run(VirtualWire.attach(board), 2_000_000_000L);
        }
    }

    @Test
    void recordedLoopbackEchoIsConsistentAgainstTheGuest() throws Exception {
        ReplayReport report = replay(ReplayOptions.Pacing.AS_FAST);
        assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
        assertEquals(1, report.flows().size());
        ReplayReport.FlowReport f = report.flows().get(0);
        assertNull(f.divergence(), report.text());
        assertTrue(f.flow().contains("10.0.2.15:7"), f.flow());
        assertTrue(f.accepted() >= 3, report.text()); // SYN, the message, FIN
        assertEquals(0, f.retransmitted(), report.text());
        assertEquals(0, report.exitCode());
    }

    @Test
    void withRecordedTimingAndTheServerSideNamed() throws Exception {
        ReplayReport report = replay(ReplayOptions.Pacing.TIMING, "127.0.0.1(server)=10.0.2.15");
        assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
    }

    @Test
    void guestPlayingTheRecordedClientWaitsForASynThatNeverComes() throws Exception {
        // the default guest opens no connection of its own: the recorded client's SYN is missing
        ReplayReport report = replay(ReplayOptions.Pacing.AS_FAST, "127.0.0.1(client)=10.0.2.15");
        assertEquals(ReplayReport.Outcome.DIVERGED, report.outcome(), report.text());
        assertEquals("recorded [S] at frame 1, guest sent nothing (waited 5 s)", report.firstDivergence().describe());
    }

    @Test
    void linuxCookedCaptureFromAnyInterfaceToo() throws Exception {
        assumeTrue(rec != null, LoopbackRecorder.skipReason);
        // tcpdump on "any" can drop packets when the machine is loaded: only a complete recording is a valid input.
        LoopbackRecorder.Recording any = null;
        for (int attempt = 0; attempt < 3 && (any == null || !carriesTheEchoBothWays(any)); attempt++) {
            any = LoopbackRecorder.record(dir.resolve("echo-any-" + attempt + ".pcap"), MESSAGE, "any");
            assumeTrue(any != null, LoopbackRecorder.skipReason);
        }
        assumeTrue(carriesTheEchoBothWays(any), "tcpdump -i any dropped packets three times under load");
        Replayer r = Replayer.load(any.file(), ReplayOptions.defaults().withMaps(ReplayOptions.parseMappings(
                List.of("127.0.0.1(server)=10.0.2.15", any.serverPort() + "=7"))));
        try (Board board = GuestBoards.ready()) {
            ReplayReport report = r.run(VirtualWire.attach(board), 2_000_000_000L);
            assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
        }
    }

    /** The recording holds the message's bytes once from the client and once echoed by the server. */
    private static boolean carriesTheEchoBothWays(LoopbackRecorder.Recording r) throws Exception {
        long toServer = 0, fromServer = 0;
        for (var f : dev.wirelab.emulator.capture.CaptureReader.read(r.file()).frames()) {
            var p = f.decode();
            if (p.tcp() == null) {
                continue;
            }
            int n = p.tcp().payload().length();
            if (p.tcp().destinationPort() == r.serverPort()) {
                toServer += n;
            } else if (p.tcp().sourcePort() == r.serverPort()) {
                fromServer += n;
            }
        }
        return toServer == MESSAGE.length && fromServer == MESSAGE.length;
    }

    @Test
    void sameCaptureTwiceGivesTheSameTrace() throws Exception {
        ReplayReport a = replay(ReplayOptions.Pacing.AS_FAST);
        ReplayReport b = replay(ReplayOptions.Pacing.AS_FAST);
        assertEquals(a.traceHash(), b.traceHash());
        assertEquals(a.text(), b.text());
    }
}
