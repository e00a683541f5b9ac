package dev.wirelab.emulator.device.virtio;

/**
 * Guest physical memory as a DMA-capable device sees it. Addresses are guest
 * physical addresses, treated as unsigned 64-bit values; all multi-byte values
 * are little-endian (the byte order of every virtio structure on AArch64).
 *
 * <p>Every access outside the memory throws {@link GuestMemoryException}
 * (unchecked); devices catch it and enter their error state. Implementations
 * must check bounds without overflow: an address near 2^64 plus a length must
 * not wrap around into range.
 */
public interface GuestMemory {
    /** True if {@code [addr, addr + len)} lies wholly inside this memory. A negative length is never contained. */
    boolean contains(long addr, long len);

    default byte[] read(long addr, int len) {
        if (len < 0) {
            throw new GuestMemoryException(addr, len, "negative length");
        }
        check(addr, len);
        byte[] b = new byte[len];
        read(addr, b, 0, len);
        return b;
    }

    void read(long addr, byte[] dst, int off, int len);

    void write(long addr, byte[] src, int off, int len);

    int readU16(long addr);

    int readU32(long addr);

    long readU64(long addr);

    void writeU16(long addr, int value);

    void writeU32(long addr, int value);

    /** Throws {@link GuestMemoryException} unless {@link #contains(long, long) contains(addr, len)}. */
    default void check(long addr, long len) {
        if (!contains(addr, len)) {
            throw new GuestMemoryException(addr, len, "outside guest memory");
        }
    }
}
