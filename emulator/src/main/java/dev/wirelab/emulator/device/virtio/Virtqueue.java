package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.virtio.VirtioException.Kind;

import java.util.ArrayList;
import java.util.List;

/**
 * A split virtqueue (VIRTIO 1.2 section 2.7), device side. The guest owns the
 * descriptor table and the available ring; the device owns the used ring and
 * keeps its own copies of {@code last_avail_idx} and the used index, so nothing
 * the guest scribbles into the used ring changes what the device does.
 *
 * <p>Layout in guest memory (2.7):
 * <pre>
 * descriptor table  16 * size, aligned 16:  { le64 addr; le32 len; le16 flags; le16 next; }
 * available ring     6 + 2 * size, aligned 2: { le16 flags; le16 idx; le16 ring[size]; le16 used_event; }
 * used ring          6 + 8 * size, aligned 4: { le16 flags; le16 idx; { le32 id; le32 len; } ring[size]; le16 avail_event; }
 * </pre>
 *
 * <p>Distrust the guest (as Firecracker's queue.rs): {@link #validate} checks
 * size and placement before the queue is used; {@link #pop} bounds every chain
 * walk by a TTL equal to the table size, checks every index against the table,
 * every buffer against guest memory, and rejects an available index that moved
 * by more than the queue size. Failures are {@link VirtioException}s with the
 * guest context in the message; the caller puts the device into
 * DEVICE_NEEDS_RESET.
 */
public final class Virtqueue {
    // Descriptor flags (2.7.5).
    public static final int DESC_F_NEXT = 1;
    public static final int DESC_F_WRITE = 2;
    public static final int DESC_F_INDIRECT = 4;
    // Ring flags (2.7.6, 2.7.8).
    public static final int AVAIL_F_NO_INTERRUPT = 1;

    static final int DESC_SIZE = 16;
    /** Largest indirect table accepted (entries); the spec leaves it open, Linux stays far below. */
    public static final int MAX_INDIRECT = 1024;
    /** Largest legal QueueNumMax (2.7: Queue Size up to 32768). */
    public static final int MAX_SIZE = 32768;

    /** Saved queue position and placement (a snapshot record). */
    public record State(int size, boolean ready, long desc, long avail, long used,
                        int lastAvailIdx, int usedIdx, int signalledUsed, boolean signalledValid) {
    }

    private final int index;
    private final int maxSize;

    // Driver-programmed placement.
    int size;
    boolean ready;
    long desc;
    long avail;
    long used;

    // Device-owned positions (u16 values, kept in 0..65535).
    private int lastAvailIdx;
    private int usedIdx;
    /** Used index at the last interrupt decision (for VIRTIO_F_EVENT_IDX), valid if {@link #signalledValid}. */
    private int signalledUsed;
    private boolean signalledValid;

    // Negotiated features that change how the ring is walked.
    boolean eventIdx;
    boolean indirect;

    public Virtqueue(int index, int maxSize) {
        if (maxSize <= 0 || maxSize > MAX_SIZE || Integer.bitCount(maxSize) != 1) {
            throw new IllegalArgumentException("queue max size must be a power of two in 1.." + MAX_SIZE + ": " + maxSize);
        }
        this.index = index;
        this.maxSize = maxSize;
        reset();
    }

    public int index() {
        return index;
    }

    public int maxSize() {
        return maxSize;
    }

    public int size() {
        return size;
    }

    public boolean ready() {
        return ready;
    }

    public long descAddr() {
        return desc;
    }

    public long availAddr() {
        return avail;
    }

    public long usedAddr() {
        return used;
    }

    public int lastAvailIdx() {
        return lastAvailIdx;
    }

    public int usedIdx() {
        return usedIdx;
    }

    public void reset() {
        size = maxSize;
        ready = false;
        desc = avail = used = 0;
        lastAvailIdx = usedIdx = signalledUsed = 0;
        signalledValid = false;
        eventIdx = indirect = false;
    }

    /** Checks size, alignment and placement (2.7 and 4.2.2); throws {@link VirtioException}. */
    public void validate(GuestMemory mem) {
        validate(mem, size, desc, avail, used);
    }

    private void validate(GuestMemory mem, int size, long desc, long avail, long used) {
        String q = "queue " + index;
        if (size == 0) {
            throw new VirtioException(Kind.QUEUE_SIZE_ZERO, q);
        }
        if (Integer.bitCount(size) != 1) {
            throw new VirtioException(Kind.QUEUE_SIZE_NOT_POWER_OF_TWO, q + " size " + size);
        }
        if (size > maxSize) {
            throw new VirtioException(Kind.QUEUE_SIZE_TOO_LARGE, q + " size " + size + " > max " + maxSize);
        }
        checkRegion(mem, "descriptor table", desc, 16, (long) DESC_SIZE * size);
        checkRegion(mem, "available ring", avail, 2, 6 + 2L * size);
        checkRegion(mem, "used ring", used, 4, 6 + 8L * size);
    }

    private void checkRegion(GuestMemory mem, String what, long addr, int align, long len) {
        if ((addr & (align - 1)) != 0) {
            throw new VirtioException(Kind.RING_MISALIGNED, String.format(
                    "queue %d %s at 0x%x not aligned to %d", index, what, addr, align));
        }
        if (!mem.contains(addr, len)) {
            throw new VirtioException(Kind.RING_OUTSIDE_MEMORY, String.format(
                    "queue %d %s at 0x%x length %d", index, what, addr, len));
        }
    }

    private void requireReady() {
        if (!ready) {
            throw new VirtioException(Kind.QUEUE_NOT_READY, "queue " + index);
        }
    }

    /**
     * How many chains the guest has made available and the device has not taken.
     * Throws {@link VirtioException} AVAIL_INDEX_JUMP if that exceeds the queue size.
     */
    public int pending(GuestMemory mem) {
        requireReady();
        int availIdx = mem.readU16(avail + 2);
        int n = (availIdx - lastAvailIdx) & 0xffff;
        if (n > size) {
            throw new VirtioException(Kind.AVAIL_INDEX_JUMP, String.format(
                    "queue %d avail idx %d, last seen %d: %d new entries in a queue of %d",
                    index, availIdx, lastAvailIdx, n, size));
        }
        return n;
    }

    /** The next available chain, validated, or {@code null} when the guest has made none available. */
    public DescriptorChain pop(GuestMemory mem) {
        if (pending(mem) == 0) {
            return null;
        }
        int head = mem.readU16(avail + 4 + 2L * (lastAvailIdx & (size - 1)));
        DescriptorChain chain = walk(mem, head);
        lastAvailIdx = (lastAvailIdx + 1) & 0xffff;
        if (eventIdx) {
            // avail_event: ask to be notified as soon as the driver adds anything beyond what we consumed.
            mem.writeU16(used + 4 + 8L * size, lastAvailIdx);
        }
        return chain;
    }

    /** Gives back the last {@code n} popped chains (they were not used; the guest will see them again). */
    public void undoPop(GuestMemory mem, int n) {
        lastAvailIdx = (lastAvailIdx - n) & 0xffff;
        if (eventIdx) {
            mem.writeU16(used + 4 + 8L * size, lastAvailIdx);
        }
    }

    private DescriptorChain walk(GuestMemory mem, int head) {
        if (head >= size) {
            throw new VirtioException(Kind.DESC_INDEX_OUT_OF_BOUNDS, String.format(
                    "queue %d head descriptor %d >= queue size %d", index, head, size));
        }
        List<DescriptorChain.Segment> segs = new ArrayList<>();
        long table = desc;
        int tableSize = size;
        int ttl = size;
        int idx = head;
        boolean inIndirect = false;
        boolean seenWritable = false;
        long readable = 0;
        long writable = 0;
        while (true) {
            if (ttl-- == 0) {
                throw new VirtioException(Kind.CHAIN_LOOP, String.format(
                        "queue %d head %d: more than %d descriptors%s (last index %d)",
                        index, head, tableSize, inIndirect ? " in indirect table" : "", idx));
            }
            long d = table + (long) DESC_SIZE * idx;
            long addr = mem.readU64(d);
            int len = mem.readU32(d + 8);
            int flags = mem.readU16(d + 12);
            int next = mem.readU16(d + 14);
            // Built for every descriptor, used only in errors: concatenation, not String.format.
            String where = "queue " + index + " head " + head + " " + (inIndirect ? "indirect " : "") + "descriptor " + idx
                    + " addr 0x" + Long.toHexString(addr) + " len " + Integer.toUnsignedLong(len);
            if ((flags & DESC_F_INDIRECT) != 0) {
                if (inIndirect) {
                    throw new VirtioException(Kind.NESTED_INDIRECT, where);
                }
                if (!indirect) {
                    throw new VirtioException(Kind.INDIRECT_NOT_NEGOTIATED, where);
                }
                if (!segs.isEmpty() || (flags & DESC_F_NEXT) != 0) {
                    throw new VirtioException(Kind.BAD_INDIRECT_TABLE, where + ": indirect descriptor must be alone in its chain");
                }
                long tlen = Integer.toUnsignedLong(len);
                if (tlen == 0 || tlen % DESC_SIZE != 0 || tlen / DESC_SIZE > MAX_INDIRECT) {
                    throw new VirtioException(Kind.BAD_INDIRECT_TABLE, where
                            + ": length must be a non-zero multiple of 16 of at most " + MAX_INDIRECT + " entries");
                }
                checkBuffer(mem, where, addr, tlen);
                table = addr;
                tableSize = (int) (tlen / DESC_SIZE);
                ttl = tableSize;
                idx = 0;
                inIndirect = true;
                continue;
            }
            long blen = Integer.toUnsignedLong(len);
            if (blen == 0) {
                throw new VirtioException(Kind.ZERO_LENGTH_DESCRIPTOR, where);
            }
            checkBuffer(mem, where, addr, blen);
            boolean w = (flags & DESC_F_WRITE) != 0;
            if (w) {
                seenWritable = true;
                writable += blen;
            } else {
                if (seenWritable) {
                    throw new VirtioException(Kind.READABLE_AFTER_WRITABLE, where);
                }
                readable += blen;
            }
            if (readable + writable > 0xFFFF_FFFFL) {
                throw new VirtioException(Kind.CHAIN_TOO_LONG, where + String.format(": total %d bytes", readable + writable));
            }
            segs.add(new DescriptorChain.Segment(addr, len, w));
            if ((flags & DESC_F_NEXT) == 0) {
                break;
            }
            if (next >= tableSize) {
                throw new VirtioException(Kind.DESC_INDEX_OUT_OF_BOUNDS, where + String.format(
                        ": next %d >= %s size %d", next, inIndirect ? "indirect table" : "queue", tableSize));
            }
            idx = next;
        }
        return new DescriptorChain(index, head, segs, readable, writable);
    }

    private static void checkBuffer(GuestMemory mem, String where, long addr, long len) {
        if (Long.compareUnsigned(addr + len - 1, addr) < 0) {
            throw new VirtioException(Kind.ADDRESS_WRAPS, where);
        }
        if (!mem.contains(addr, len)) {
            throw new VirtioException(Kind.DESCRIPTOR_OUTSIDE_MEMORY, where);
        }
    }

    /** Puts a finished chain into the used ring: {@code len} = bytes the device wrote into it. */
    public void addUsed(GuestMemory mem, int head, int len) {
        requireReady();
        long e = used + 4 + 8L * (usedIdx & (size - 1));
        mem.writeU32(e, head);
        mem.writeU32(e + 4, len);
        usedIdx = (usedIdx + 1) & 0xffff;
        // The ring entry is in memory before the index (the guest is stopped while we run; order kept anyway).
        mem.writeU16(used + 2, usedIdx);
    }

    /**
     * Whether the driver wants an interrupt for the used buffers added since the last call
     * (2.7.7.2 / 2.7.10: {@code used_event} with EVENT_IDX, else {@code VIRTQ_AVAIL_F_NO_INTERRUPT}).
     */
    public boolean needsInterrupt(GuestMemory mem) {
        if (!ready) {
            return false;
        }
        int old = signalledUsed;
        boolean valid = signalledValid;
        signalledUsed = usedIdx;
        signalledValid = true;
        if (valid && old == usedIdx) {
            return false;
        }
        if (!eventIdx) {
            return (mem.readU16(avail) & AVAIL_F_NO_INTERRUPT) == 0;
        }
        if (!valid) {
            return true;
        }
        int usedEvent = mem.readU16(avail + 4 + 2L * size);
        // vring_need_event(event, new, old): (u16)(new - event - 1) < (u16)(new - old)
        return ((usedIdx - usedEvent - 1) & 0xffff) < ((usedIdx - old) & 0xffff);
    }

    public State save() {
        return new State(size, ready, desc, avail, used, lastAvailIdx, usedIdx, signalledUsed, signalledValid);
    }

    /** Restores a {@link #save()}d state after checking it against this queue and {@code mem}. */
    public void restore(State s, GuestMemory mem) {
        if (s.size() < 0 || s.size() > maxSize) {
            throw new IllegalArgumentException("queue " + index + ": size " + s.size() + " out of range");
        }
        for (int v : new int[] {s.lastAvailIdx(), s.usedIdx(), s.signalledUsed()}) {
            if (v < 0 || v > 0xffff) {
                throw new IllegalArgumentException("queue " + index + ": ring index " + v + " out of range");
            }
        }
        if (s.ready()) {
            try {
                validate(mem, s.size(), s.desc(), s.avail(), s.used());
            } catch (VirtioException e) {
                throw new IllegalArgumentException("queue " + index + ": " + e.getMessage(), e);
            }
        }
        restoreChecked(s);
    }

    /** Restores a state {@link #restore} accepted before on a queue of this size. */
    void restoreChecked(State s) {
        size = s.size();
        ready = s.ready();
        desc = s.desc();
        avail = s.avail();
        used = s.used();
        lastAvailIdx = s.lastAvailIdx();
        usedIdx = s.usedIdx();
        signalledUsed = s.signalledUsed();
        signalledValid = s.signalledValid();
    }
}
