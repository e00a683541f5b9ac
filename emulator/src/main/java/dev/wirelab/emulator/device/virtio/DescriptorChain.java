package dev.wirelab.emulator.device.virtio;

import java.util.List;

/**
 * One validated descriptor chain popped from a {@link Virtqueue}: the head
 * index (what goes back into the used ring) and the buffer segments in order,
 * device-readable ones first (2.7.4.2 / 2.7.5). Every segment has been checked
 * to lie inside guest memory, to be non-empty, and the total to be below 4 GiB,
 * so the copy helpers below can only fail if the memory itself changes.
 */
public record DescriptorChain(int queue, int head, List<Segment> segments, long readableLength, long writableLength) {
    /** One buffer: {@code len} bytes at guest physical {@code addr}; {@code writable} = device-writable. */
    public record Segment(long addr, int len, boolean writable) {
        public long length() {
            return Integer.toUnsignedLong(len);
        }
    }

    public DescriptorChain {
        segments = List.copyOf(segments);
    }

    /**
     * Copies the device-readable bytes {@code [from, from + len)} into {@code dst[off..]}.
     * Returns how many bytes were available (less than {@code len} if the readable part is shorter).
     */
    public int readReadable(GuestMemory mem, long from, byte[] dst, int off, int len) {
        return copy(mem, false, from, dst, off, len);
    }

    /** All device-readable bytes, provided there are at most {@code limit}; otherwise a {@link VirtioException}. */
    public byte[] readAllReadable(GuestMemory mem, int limit) {
        if (readableLength > limit) {
            throw new VirtioException(VirtioException.Kind.BAD_REQUEST, String.format(
                    "queue %d head %d: %d readable bytes, at most %d accepted", queue, head, readableLength, limit));
        }
        byte[] b = new byte[(int) readableLength];
        readReadable(mem, 0, b, 0, b.length);
        return b;
    }

    /**
     * Writes {@code src[off..off+len)} into the device-writable part starting {@code from} bytes into it.
     * Returns how many bytes fitted.
     */
    public int writeWritable(GuestMemory mem, long from, byte[] src, int off, int len) {
        return copy(mem, true, from, src, off, len);
    }

    private int copy(GuestMemory mem, boolean writable, long from, byte[] buf, int off, int len) {
        int done = 0;
        long pos = 0; // position within the selected (readable or writable) part
        for (Segment s : segments) {
            if (s.writable() != writable || done == len) {
                continue;
            }
            long segLen = s.length();
            long segEnd = pos + segLen;
            if (segEnd > from + done) {
                long inSeg = from + done - pos;
                int n = (int) Math.min(segLen - inSeg, len - done);
                if (writable) {
                    mem.write(s.addr() + inSeg, buf, off + done, n);
                } else {
                    mem.read(s.addr() + inSeg, buf, off + done, n);
                }
                done += n;
            }
            pos = segEnd;
        }
        return done;
    }

    /** Requires that the chain has no device-writable part (e.g. a transmit buffer). */
    public DescriptorChain requireReadOnly() {
        if (writableLength != 0) {
            throw new VirtioException(VirtioException.Kind.WRONG_DIRECTION, String.format(
                    "queue %d head %d: %d device-writable bytes where only readable buffers are allowed",
                    queue, head, writableLength));
        }
        return this;
    }

    /** Requires that the chain has no device-readable part (e.g. a receive or entropy buffer). */
    public DescriptorChain requireWriteOnly() {
        if (readableLength != 0) {
            throw new VirtioException(VirtioException.Kind.WRONG_DIRECTION, String.format(
                    "queue %d head %d: %d device-readable bytes where only writable buffers are allowed",
                    queue, head, readableLength));
        }
        return this;
    }
}
