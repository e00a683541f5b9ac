package dev.wirelab.emulator.net;

import dev.wirelab.emulator.TestImages;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetBenchTest {
    @Test
    void benchMovesTheDataIntactAndRepeatsInVirtualTime() throws Exception {
        byte[] image = TestImages.defaultGuest();
        NetBench.Result a = NetBench.run(image, 256 * 1024);
        NetBench.Result b = NetBench.run(image, 256 * 1024);
        assertTrue(a.intact());
        assertTrue(a.frames() > 2 * 256 * 1024 / 1460, a.toString());
        // Virtual time is a function of the run only.
        assertEquals(a.virtualNanos(), b.virtualNanos());
        assertEquals(a.instructions(), b.instructions());
        assertEquals(a.frames(), b.frames());
        System.out.println(a);
    }
}
