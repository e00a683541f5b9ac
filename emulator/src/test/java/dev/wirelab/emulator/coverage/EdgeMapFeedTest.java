package dev.wirelab.emulator.coverage;

import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.net.TcpConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The native block hook's edge counters (no upcall per block) against the Java upcall path on the
 * same run of the default guest: a TCP echo from the snapshot, each way fed into its own map.
 */
class EdgeMapFeedTest {
    private static Lab lab;
    private static Snapshot start;
    private static EdgeMap map;

    @BeforeAll
    static void boot() {
        lab = new Lab().boot();
        start = lab.snapshot();
        map = EdgeMap.forText(BootImages.parse("wirelab-guest.elf", Lab.defaultGuestBytes()));
    }

    @AfterAll
    static void close() {
        lab.getBoard().coverage(null);
        lab.close();
        map.close();
    }

    /** One echo exchange from the snapshot with {@code feed} updating the map: the counters and the trace hash. */
    private static Run echo(EdgeMap.Feed feed) {
        lab.restore(start);
        map.clear();
        lab.getBoard().coverage(map, feed);
        try {
            TcpConnection c = lab.net.established(lab.net.connect(7), lab.ms(50));
            c.send("edge coverage in C");
            lab.until(java.util.Map.of("condition", (java.util.function.BooleanSupplier) () -> c.received() >= 18,
                    "within", lab.ms(50)));
            lab.advance(lab.ms(2));
            assertEquals("edge coverage in C", c.readString());
        } finally {
            lab.getBoard().coverage(null);
        }
        return new Run(map.counters().toArray(ValueLayout.JAVA_BYTE), lab.trace.getHash(), map.edgesHit());
    }

    private record Run(byte[] counters, String hash, int edges) { }

    @Test
    void nativeAndJavaFeedsCountTheSameEdges() {
        assertTrue(lab.getBoard().nativeBlockHook(), "the native hook is built (NativeHooksTest)");
        Run java = echo(EdgeMap.Feed.JAVA_UPCALL);
        Run inC = echo(EdgeMap.Feed.NATIVE_HOOK);
        assertTrue(java.edges() > 200, "an echo through lwIP covers hundreds of edges, got " + java.edges());
        assertArrayEquals(java.counters(), inC.counters(), "same counters, byte for byte");
        assertEquals(java.hash(), inC.hash(), "coverage never changes the run");
        // A second native run from the same snapshot starts from a cleared map and previous block.
        assertArrayEquals(inC.counters(), echo(EdgeMap.Feed.NATIVE_HOOK).counters());
    }

    @Test
    void withoutCoverageTheMapStaysEmpty() {
        lab.restore(start);
        map.clear();
        lab.advance(lab.ms(2));
        assertEquals(0, map.edgesHit());
    }
}
