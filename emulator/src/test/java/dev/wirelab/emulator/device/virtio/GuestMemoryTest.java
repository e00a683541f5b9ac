package dev.wirelab.emulator.device.virtio;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.*;

class GuestMemoryTest {
    static final long BASE = 0x4000_0000L;

    SegmentGuestMemory mem(int size) {
        return new SegmentGuestMemory(Arena.ofAuto().allocate(size), BASE);
    }

    @Test
    void containsIsExactAtBothEnds() {
        SegmentGuestMemory m = mem(4096);
        assertTrue(m.contains(BASE, 4096));
        assertTrue(m.contains(BASE + 4095, 1));
        assertTrue(m.contains(BASE + 4096, 0));
        assertFalse(m.contains(BASE + 4096, 1));
        assertFalse(m.contains(BASE - 1, 1));
        assertFalse(m.contains(BASE, 4097));
        assertFalse(m.contains(BASE, -1));
        assertFalse(m.contains(0, 1));
    }

    @Test
    void boundsChecksDoNotOverflow() {
        SegmentGuestMemory m = mem(4096);
        assertFalse(m.contains(-1L, 2));
        assertFalse(m.contains(Long.MAX_VALUE, 4096));
        assertFalse(m.contains(BASE + 16, Long.MAX_VALUE));
        assertFalse(m.contains(BASE + 1, 0xFFFF_FFFF_FFFF_FFFFL));
        assertFalse(m.contains(Long.MIN_VALUE, 1));
        // A memory high in the address space: base + offset arithmetic must stay unsigned.
        SegmentGuestMemory high = new SegmentGuestMemory(Arena.ofAuto().allocate(4096), 0xFFFF_FFFF_FFFF_E000L);
        assertTrue(high.contains(0xFFFF_FFFF_FFFF_E000L, 4096));
        assertFalse(high.contains(0xFFFF_FFFF_FFFF_F000L, 1));
        assertFalse(high.contains(0x10, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new SegmentGuestMemory(Arena.ofAuto().allocate(4096), 0xFFFF_FFFF_FFFF_F800L));
    }

    @Test
    void littleEndianAccessors() {
        SegmentGuestMemory m = mem(64);
        m.writeU32(BASE, 0x1234_5678);
        assertArrayEquals(new byte[] {0x78, 0x56, 0x34, 0x12}, m.read(BASE, 4));
        m.writeU16(BASE + 5, 0xBEEF);
        assertEquals(0xBEEF, m.readU16(BASE + 5));
        m.writeU32(BASE + 8, 0x89AB_CDEF);
        m.writeU32(BASE + 12, 0x0123_4567);
        assertEquals(0x0123_4567_89AB_CDEFL, m.readU64(BASE + 8));
        assertEquals(0x89AB_CDEF, m.readU32(BASE + 8));
        byte[] b = {1, 2, 3};
        m.write(BASE + 61, b, 0, 3);
        byte[] back = new byte[5];
        m.read(BASE + 61, back, 1, 3);
        assertArrayEquals(new byte[] {0, 1, 2, 3, 0}, back);
    }

    @Test
    void outOfRangeThrowsGuestMemoryException() {
        SegmentGuestMemory m = mem(64);
        assertThrows(GuestMemoryException.class, () -> m.readU32(BASE + 62));
        assertThrows(GuestMemoryException.class, () -> m.readU64(BASE - 4));
        assertThrows(GuestMemoryException.class, () -> m.writeU16(BASE + 64, 1));
        assertThrows(GuestMemoryException.class, () -> m.read(BASE + 60, 8));
        assertThrows(GuestMemoryException.class, () -> m.read(BASE, -1));
        assertThrows(GuestMemoryException.class, () -> m.write(-8, new byte[16], 0, 16));
        GuestMemoryException e = assertThrows(GuestMemoryException.class, () -> m.readU16(0xdead));
        assertEquals(0xdead, e.address());
        assertEquals(2, e.length());
    }
}
