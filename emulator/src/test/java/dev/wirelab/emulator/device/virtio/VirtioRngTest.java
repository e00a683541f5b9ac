package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.board.VirtMemoryMap;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class VirtioRngTest {
    static TestDriver rng(long seed, int version) {
        TestDriver d = new TestDriver();
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(2), version, new VirtioRng(seed), d.mem, d.irq, d.log));
        if (version == 2) {
            d.initModern(-1L, 16);
        } else {
            d.initLegacy(-1L, 16);
        }
        return d;
    }

    /** Requests {@code sizes} bytes in separate buffers and returns what the device wrote, concatenated. */
    static byte[] draw(TestDriver d, int... sizes) {
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        byte[] out = new byte[total];
        int off = 0;
        for (int s : sizes) {
            long buf = d.alloc(s);
            d.q(0).post(new TestDriver.Buf(buf, s, true));
            d.q(0).notifyDevice();
            int[] used = d.q(0).takeUsed();
            assertNotNull(used, d.logText());
            assertEquals(s, used[1]);
            System.arraycopy(d.bytes(buf, s), 0, out, off, s);
            off += s;
        }
        return out;
    }

    @Test
    void sameSeedSameBytesWhateverTheBufferSizes() {
        byte[] a = draw(rng(42, 2), 64, 64);
        byte[] b = draw(rng(42, 1), 3, 100, 25);
        assertArrayEquals(a, b);
        assertEquals(4, new VirtioMmioTransport(VirtMemoryMap.virtioSlotBase(2), 2, new VirtioRng(1), new TestDriver().mem,
                dev.wirelab.emulator.device.IrqLine.NONE, new TestDriver().log).read(VirtioMmioTransport.DEVICE_ID, 4));
    }

    @Test
    void differentSeedDifferentBytes() {
        byte[] a = draw(rng(42, 2), 128);
        byte[] b = draw(rng(43, 2), 128);
        assertFalse(java.util.Arrays.equals(a, b));
        // Not trivially degenerate: many distinct byte values.
        assertTrue(java.util.stream.IntStream.range(0, a.length).map(i -> a[i] & 0xff).distinct().count() > 64);
    }

    @Test
    void usedBufferInterruptAndAck() {
        TestDriver d = rng(7, 2);
        draw(d, 16);
        assertTrue(d.irq.level);
        assertEquals(Virtio.INT_USED_BUFFER, d.r(VirtioMmioTransport.INTERRUPT_STATUS));
        d.ack();
        assertFalse(d.irq.level);
        assertEquals(0, d.r(VirtioMmioTransport.INTERRUPT_STATUS));
    }

    @Test
    void hugeBufferIsFilledOnlyUpToTheCap() {
        TestDriver d = rng(7, 2);
        long buf = d.alloc(VirtioRng.MAX_PER_REQUEST + 4096);
        d.q(0).post(new TestDriver.Buf(buf, VirtioRng.MAX_PER_REQUEST + 4096, true));
        d.q(0).notifyDevice();
        assertEquals(VirtioRng.MAX_PER_REQUEST, d.q(0).takeUsed()[1]);
    }

    @Test
    void snapshotRestoresTheStreamPosition() {
        TestDriver d = rng(9, 2);
        VirtioRng dev = (VirtioRng) d.t.device();
        draw(d, 10);
        VirtioRng.State s = dev.save();
        VirtioMmioTransport.State ts = d.t.save();
        TestDriver.Queue q = d.q(0);
        int availIdx = q.availIdx, nextDesc = q.nextDesc, lastUsed = q.lastUsed;
        byte[] first = draw(d, 40);
        d.t.restore(ts); // restores the device's stream position too
        assertEquals(s, dev.save());
        // The guest side goes back too (a real snapshot restores RAM with the devices).
        q.availIdx = availIdx;
        q.nextDesc = nextDesc;
        q.lastUsed = lastUsed;
        assertArrayEquals(first, draw(d, 40));
        assertThrows(IllegalArgumentException.class, () -> dev.restore(new VirtioRng.State(10, 0)));
        assertThrows(IllegalArgumentException.class, () -> dev.restore(new VirtioRng.State(9, -1)));
    }
}
