package dev.wirelab.emulator.boot;

import java.util.List;

/**
 * What to write into guest memory before the first instruction, and the initial
 * CPU state: PC, x0 (x1-x3 are zero), and where the DTB went.
 *
 * @param chunks        bytes to copy, each followed by zero fill; ordered by address, non-overlapping
 * @param entryPc       first instruction
 * @param x0            initial x0: the DTB address for an Image boot, 0 otherwise (as QEMU)
 * @param dtbAddress    where the DTB was placed, or {@link #NO_DTB} if it was not placed
 * @param startsInFlash true if {@code entryPc} is in flash (firmware boot)
 */
public record LoadPlan(List<Chunk> chunks, long entryPc, long x0, long dtbAddress, boolean startsInFlash) {

    /** {@link #dtbAddress} when no DTB was placed. */
    public static final long NO_DTB = -1L;

    /**
     * One contiguous write: {@code data} at {@code address}, then {@code zeroFillBytes} zeros.
     *
     * @param address       guest physical address
     * @param data          bytes to write (not copied; do not modify)
     * @param zeroFillBytes zeros to write after {@code data}
     * @param what          what it is, for messages ("segment 1", "kernel", "DTB")
     */
    public record Chunk(long address, byte[] data, long zeroFillBytes, String what) {
        /** A chunk with a generic label. */
        public Chunk(long address, byte[] data, long zeroFillBytes) {
            this(address, data, zeroFillBytes, "chunk");
        }

        /** Total bytes this chunk covers. */
        public long size() {
            return data.length + zeroFillBytes;
        }

        /** First address past the chunk. */
        public long end() {
            return address + size();
        }

        @Override
        public String toString() {
            return what + " " + Hex.range(address, end()) + " (" + Hex.of(data.length) + " bytes + "
                    + Hex.of(zeroFillBytes) + " zeros)";
        }
    }

    public LoadPlan {
        chunks = List.copyOf(chunks);
    }

    /** True if a DTB was placed. */
    public boolean hasDtb() {
        return dtbAddress != NO_DTB;
    }
}
