package dev.wirelab.emulator.device.virtio;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static dev.wirelab.emulator.device.virtio.Virtqueue.*;
import static org.junit.jupiter.api.Assertions.*;

/** The queue on its own, including cases a 1 MiB test RAM cannot reach. */
class VirtqueueTest {
    /**
     * A 64 GiB "memory" whose first 64 KiB are real: enough to describe chains of many gigabytes
     * without allocating them (the queue never touches buffer contents while walking).
     */
    static final class SparseMemory implements GuestMemory {
        final SegmentGuestMemory real = new SegmentGuestMemory(Arena.ofAuto().allocate(65536), 0);

        @Override
        public boolean contains(long addr, long len) {
            return len >= 0 && Long.compareUnsigned(addr, 1L << 36) < 0 && len <= (1L << 36) - addr;
        }

        @Override
        public void read(long addr, byte[] dst, int off, int len) {
            real.read(addr, dst, off, len);
        }

        @Override
        public void write(long addr, byte[] src, int off, int len) {
            real.write(addr, src, off, len);
        }

        @Override
        public int readU16(long addr) {
            return real.readU16(addr);
        }

        @Override
        public int readU32(long addr) {
            return real.readU32(addr);
        }

        @Override
        public long readU64(long addr) {
            return real.readU64(addr);
        }

        @Override
        public void writeU16(long addr, int value) {
            real.writeU16(addr, value);
        }

        @Override
        public void writeU32(long addr, int value) {
            real.writeU32(addr, value);
        }
    }

    static void desc(GuestMemory m, long table, int i, long addr, int len, int flags, int next) {
        m.writeU32(table + 16L * i, (int) addr);
        m.writeU32(table + 16L * i + 4, (int) (addr >>> 32));
        m.writeU32(table + 16L * i + 8, len);
        m.writeU16(table + 16L * i + 12, flags);
        m.writeU16(table + 16L * i + 14, next);
    }

    static Virtqueue queue(GuestMemory m, int size) {
        Virtqueue q = new Virtqueue(0, 256);
        q.size = size;
        q.desc = 0x1000;
        q.avail = 0x2000;
        q.used = 0x3000;
        q.validate(m);
        q.ready = true;
        q.indirect = true;
        return q;
    }

    static void publish(GuestMemory m, Virtqueue q, int slot, int head, int availIdx) {
        m.writeU16(q.availAddr() + 4 + 2L * slot, head);
        m.writeU16(q.availAddr() + 2, availIdx);
    }

    @Test
    void chainTotalAboveFourGigabytesIsRefused() {
        SparseMemory m = new SparseMemory();
        Virtqueue q = queue(m, 16);
        for (int i = 0; i < 16; i++) {
            desc(m, q.descAddr(), i, 0x1_0000_0000L, 0x4000_0000, i < 15 ? DESC_F_NEXT : 0, i + 1);
        }
        publish(m, q, 0, 0, 1);
        VirtioException e = assertThrows(VirtioException.class, () -> q.pop(m));
        assertEquals(VirtioException.Kind.CHAIN_TOO_LONG, e.kind());
    }

    @Test
    void chainOfExactlyQueueSizeIsFineOneMoreIsALoop() {
        SparseMemory m = new SparseMemory();
        Virtqueue q = queue(m, 8);
        for (int i = 0; i < 8; i++) {
            desc(m, q.descAddr(), i, 0x8000, 16, i < 7 ? DESC_F_NEXT : 0, i + 1);
        }
        publish(m, q, 0, 0, 1);
        DescriptorChain c = q.pop(m);
        assertEquals(8, c.segments().size());
        assertEquals(128, c.readableLength());
        desc(m, q.descAddr(), 7, 0x8000, 16, DESC_F_NEXT, 0);
        publish(m, q, 1, 3, 2);
        assertEquals(VirtioException.Kind.CHAIN_LOOP, assertThrows(VirtioException.class, () -> q.pop(m)).kind());
    }

    @Test
    void copyHelpersCrossSegmentBoundaries() {
        SparseMemory m = new SparseMemory();
        Virtqueue q = queue(m, 8);
        for (int i = 0; i < 8; i++) {
            m.write(0x8000 + i, new byte[] {(byte) i}, 0, 1);
        }
        desc(m, q.descAddr(), 0, 0x8000, 3, DESC_F_NEXT, 1);
        desc(m, q.descAddr(), 1, 0x8003, 5, DESC_F_NEXT, 2);
        desc(m, q.descAddr(), 2, 0x9000, 2, DESC_F_NEXT | DESC_F_WRITE, 3);
        desc(m, q.descAddr(), 3, 0x9100, 4, DESC_F_WRITE, 0);
        publish(m, q, 0, 0, 1);
        DescriptorChain c = q.pop(m);
        byte[] out = new byte[6];
        assertEquals(6, c.readReadable(m, 1, out, 0, 6));
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, out);
        assertEquals(2, c.readReadable(m, 6, out, 0, 6), "only 2 readable bytes left");
        assertEquals(5, c.writeWritable(m, 1, new byte[] {9, 8, 7, 6, 5}, 0, 5));
        assertArrayEquals(new byte[] {0, 9}, m.read(0x9000, 2));
        assertArrayEquals(new byte[] {8, 7, 6, 5}, m.read(0x9100, 4));
        assertEquals(0, c.writeWritable(m, 6, new byte[1], 0, 1));
        assertThrows(VirtioException.class, () -> c.readAllReadable(m, 7));
        assertEquals(8, c.readAllReadable(m, 8).length);
    }

    @Test
    void undoPopGivesChainsBack() {
        SparseMemory m = new SparseMemory();
        Virtqueue q = queue(m, 8);
        desc(m, q.descAddr(), 0, 0x8000, 16, DESC_F_WRITE, 0);
        publish(m, q, 0, 0, 1);
        assertEquals(1, q.pending(m));
        assertNotNull(q.pop(m));
        assertEquals(0, q.pending(m));
        assertNull(q.pop(m));
        q.undoPop(m, 1);
        assertEquals(1, q.pending(m));
    }

    @Test
    void constructorRejectsBadMaxSize() {
        assertThrows(IllegalArgumentException.class, () -> new Virtqueue(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Virtqueue(0, 100));
        assertThrows(IllegalArgumentException.class, () -> new Virtqueue(0, 65536));
    }
}
