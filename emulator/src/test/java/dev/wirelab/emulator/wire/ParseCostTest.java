package dev.wirelab.emulator.wire;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Campaigns push hundreds of thousands of segments: decoding a TCP frame must
 * allocate little. Measured as bytes allocated by this thread (deterministic for a
 * given JVM, unlike wall time); the bound is loose, the number is printed.
 */
class ParseCostTest {
    @Test
    void parsingATcpFrameAllocatesLittle() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx.isThreadAllocatedMemorySupported());
        byte[] frame = Frames.all().get("tcp4 data");
        int sink = 0;
        for (int i = 0; i < 50_000; i++) { // warm up (JIT, escape analysis)
            sink += Packet.parse(frame).tcp().window();
        }
        int n = 200_000;
        long before = mx.getCurrentThreadAllocatedBytes();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += Packet.parse(frame).tcp().window();
        }
        long t1 = System.nanoTime();
        long perFrame = (mx.getCurrentThreadAllocatedBytes() - before) / n;
        System.out.println("Packet.parse(" + frame.length + "-byte TCP frame with options): " + perFrame
                + " bytes allocated, ~" + (t1 - t0) / n + " ns per frame (sink " + sink + ")");
        assertTrue(perFrame < 2048, perFrame + " bytes per frame");
    }
}
