package dev.wirelab.emulator.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.net.VirtualWire;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Bad captures never crash the replayer: planning a mutated capture either works or
 * fails with one {@link ReplayInputException} line, and replaying whatever plans
 * ends in a report.
 */
class HostileCaptureTest {
    static byte[] echo() {
        return new Conversation("192.168.1.9", 40000, "192.168.1.5", 7).handshake()
                .client("P.", "hello wirelab\n").server("P.", "hello wirelab\n").client(".", "")
                .client("F.", "").server("F.", "").client(".", "").pcapng();
    }

    @Test
    void mutatedCapturesPlanOrFailWithOneLine() {
        byte[] base = echo();
        Random rnd = new Random(0x5EEDL); // seeded: the same mutants every run
        List<byte[]> planned = new ArrayList<>();
        int refused = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] m = base.clone();
            int edits = 1 + rnd.nextInt(4);
            for (int e = 0; e < edits; e++) {
                m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
            }
            if (rnd.nextInt(8) == 0) {
                m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
            }
            try {
                Replayer r = Replayer.of("m" + i + ".pcapng", m, ReplayOptions.defaults());
                assertTrue(!r.flows().isEmpty());
                if (planned.size() < 4 && !java.util.Arrays.equals(m, base)) {
                    planned.add(m);
                }
            } catch (ReplayInputException e) {
                refused++;
                assertTrue(e.getMessage().startsWith("m" + i + ".pcapng: "), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertTrue(refused > 100, "most mutants break the framing: " + refused);
        assertTrue(!planned.isEmpty());
        for (byte[] m : planned) {
            try (Board board = GuestBoards.ready()) {
                ReplayReport report = Replayer.of("m.pcapng", m, ReplayOptions.defaults()).run(VirtualWire.attach(board), 400_000_000L);
                assertNotNull(report.outcome(), report.text());
            } catch (ReplayInputException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void aFourTupleUsedTwiceIsTwoConnections() throws Exception {
        byte[] a = new Conversation("192.168.1.9", 40000, "192.168.1.5", 7).handshake()
                .client("P.", "one\n").server("P.", "one\n").client("F.", "").server("F.", "").client(".", "").pcapng();
        // the same ports again later, with other ISNs: a new connection (a second pcapng section)
        byte[] b = new Conversation("192.168.1.9", 40000, "192.168.1.5", 7).isn(2_000_000, 500_000).handshake()
                .client("P.", "two\n").server("P.", "two\n").client("F.", "").server("F.", "").client(".", "").pcapng();
        byte[] two = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, two, a.length, b.length);
        Replayer r = Replayer.of("two.pcapng", two, ReplayOptions.defaults());
        assertEquals(2, r.flows().size());
        assertEquals(9, r.flows().get(1).packets().get(0).frame()); // after the first connection's 8 frames
        try (Board board = GuestBoards.ready()) {
            ReplayReport report = r.run(VirtualWire.attach(board), 2_000_000_000L);
            assertEquals(ReplayReport.Outcome.CONSISTENT, report.outcome(), report.text());
            assertEquals(2, report.flows().size());
        }
    }
}
