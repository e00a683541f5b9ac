package dev.wirelab.emulator.device.virtio;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * {@link GuestMemory} over one {@link MemorySegment} that the guest sees at
 * physical address {@code base} (the board: RAM at 0x4000_0000 backed by the
 * segment it maps into Unicorn with {@code uc_mem_map_ptr}). Bounds checks are
 * done in unsigned arithmetic on offsets, so no address/length pair can wrap.
 */
public final class SegmentGuestMemory implements GuestMemory {
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final MemorySegment segment;
    private final long base;
    private final long size;

    public SegmentGuestMemory(MemorySegment segment, long base) {
        this.segment = Objects.requireNonNull(segment, "segment");
        this.base = base;
        this.size = segment.byteSize();
        if (size > 0 && Long.compareUnsigned(base + size - 1, base) < 0) {
            throw new IllegalArgumentException(String.format("memory at 0x%x size %d wraps past 2^64", base, size));
        }
    }

    public long base() {
        return base;
    }

    public long size() {
        return size;
    }

    @Override
    public boolean contains(long addr, long len) {
        if (len < 0 || len > size) {
            return false;
        }
        long off = addr - base;
        // addr >= base (unsigned) and off + len <= size, written so nothing overflows.
        return Long.compareUnsigned(addr, base) >= 0 && Long.compareUnsigned(off, size - len) <= 0;
    }

    /** Segment offset of {@code [addr, addr+len)}, or {@link GuestMemoryException}. */
    private long offset(long addr, long len) {
        if (!contains(addr, len)) {
            throw new GuestMemoryException(addr, len, "outside guest memory");
        }
        return addr - base;
    }

    @Override
    public void read(long addr, byte[] dst, int off, int len) {
        Objects.checkFromIndexSize(off, len, dst.length);
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(addr, len), dst, off, len);
    }

    @Override
    public void write(long addr, byte[] src, int off, int len) {
        Objects.checkFromIndexSize(off, len, src.length);
        MemorySegment.copy(src, off, segment, ValueLayout.JAVA_BYTE, offset(addr, len), len);
    }

    @Override
    public int readU16(long addr) {
        return Short.toUnsignedInt(segment.get(U16, offset(addr, 2)));
    }

    @Override
    public int readU32(long addr) {
        return segment.get(U32, offset(addr, 4));
    }

    @Override
    public long readU64(long addr) {
        return segment.get(U64, offset(addr, 8));
    }

    @Override
    public void writeU16(long addr, int value) {
        segment.set(U16, offset(addr, 2), (short) value);
    }

    @Override
    public void writeU32(long addr, int value) {
        segment.set(U32, offset(addr, 4), value);
    }
}
