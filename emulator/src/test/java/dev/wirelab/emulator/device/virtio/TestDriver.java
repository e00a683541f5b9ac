package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;

/**
 * A minimal guest-side virtio-mmio driver for tests: guest RAM as a
 * {@link SegmentGuestMemory} at 0x4000_0000, a bump allocator, and queue setup,
 * descriptor posting and used-ring reading done through guest memory and the
 * transport's registers exactly as a guest would.
 */
final class TestDriver {
    static final long RAM = 0x4000_0000L;
    static final int RAM_SIZE = 1 << 20;

    final Arena arena = Arena.ofAuto();
    final SegmentGuestMemory mem = new SegmentGuestMemory(arena.allocate(RAM_SIZE, 4096), RAM);
    final GuestLog log = new GuestLog(() -> 0);
    final Irq irq = new Irq();
    VirtioMmioTransport t;
    long next = RAM + 0x1000;
    final List<Queue> queues = new ArrayList<>();

    static final class Irq implements IrqLine {
        boolean level;
        int rises;

        @Override
        public void set(boolean l) {
            if (l && !level) {
                rises++;
            }
            level = l;
        }
    }

    /** A buffer to post: guest address, length, device-writable. */
    record Buf(long addr, int len, boolean writable) {
    }

    final class Queue {
        final int index;
        final int size;
        final long desc;
        final long avail;
        final long used;
        int nextDesc;
        int availIdx;
        int lastUsed;

        Queue(int index, int size, long desc, long avail, long used) {
            this.index = index;
            this.size = size;
            this.desc = desc;
            this.avail = avail;
            this.used = used;
        }

        void writeDesc(long table, int i, long addr, int len, int flags, int next) {
            mem.writeU32(table + 16L * i, (int) addr);
            mem.writeU32(table + 16L * i + 4, (int) (addr >>> 32));
            mem.writeU32(table + 16L * i + 8, len);
            mem.writeU16(table + 16L * i + 12, flags);
            mem.writeU16(table + 16L * i + 14, next);
        }

        /** Writes a chain of descriptors and makes it available; returns the head. */
        int post(Buf... bufs) {
            int head = nextDesc;
            for (int k = 0; k < bufs.length; k++) {
                int i = (nextDesc + k) % size;
                int flags = (bufs[k].writable() ? Virtqueue.DESC_F_WRITE : 0) | (k + 1 < bufs.length ? Virtqueue.DESC_F_NEXT : 0);
                writeDesc(desc, i, bufs[k].addr(), bufs[k].len(), flags, (i + 1) % size);
            }
            nextDesc = (nextDesc + bufs.length) % size;
            publish(head);
            return head;
        }

        /** Posts one descriptor pointing at an indirect table holding {@code bufs}. */
        int postIndirect(Buf... bufs) {
            long table = alloc(16L * bufs.length);
            for (int k = 0; k < bufs.length; k++) {
                int flags = (bufs[k].writable() ? Virtqueue.DESC_F_WRITE : 0) | (k + 1 < bufs.length ? Virtqueue.DESC_F_NEXT : 0);
                writeDesc(table, k, bufs[k].addr(), bufs[k].len(), flags, k + 1);
            }
            int head = nextDesc;
            writeDesc(desc, head, table, 16 * bufs.length, Virtqueue.DESC_F_INDIRECT, 0);
            nextDesc = (nextDesc + 1) % size;
            publish(head);
            return head;
        }

        void publish(int head) {
            mem.writeU16(avail + 4 + 2L * (availIdx % size), head);
            availIdx = (availIdx + 1) & 0xffff;
            mem.writeU16(avail + 2, availIdx);
        }

        void notifyDevice() {
            t.write(QUEUE_NOTIFY, 4, index);
        }

        int usedIdx() {
            return mem.readU16(used + 2);
        }

        /** The next used element {id, len} or null. */
        int[] takeUsed() {
            if (usedIdx() == lastUsed) {
                return null;
            }
            long e = used + 4 + 8L * (lastUsed % size);
            lastUsed = (lastUsed + 1) & 0xffff;
            return new int[] {mem.readU32(e), mem.readU32(e + 4)};
        }

        void setUsedEvent(int v) {
            mem.writeU16(avail + 4 + 2L * size, v);
        }

        int availEvent() {
            return mem.readU16(used + 4 + 8L * size);
        }
    }

    TestDriver() {
    }

    TestDriver attach(VirtioMmioTransport transport) {
        this.t = transport;
        return this;
    }

    long alloc(long len) {
        long a = (next + 15) & ~15L;
        next = a + len;
        if (next > RAM + RAM_SIZE) {
            throw new IllegalStateException("test RAM exhausted");
        }
        return a;
    }

    long allocAligned(long len, long align) {
        next = (next + align - 1) & -align;
        return alloc(len);
    }

    int r(int off) {
        return (int) t.read(off, 4);
    }

    void w(int off, long v) {
        t.write(off, 4, v);
    }

    int status() {
        return r(STATUS);
    }

    long offered() {
        w(DEVICE_FEATURES_SEL, 0);
        long lo = Integer.toUnsignedLong(r(DEVICE_FEATURES));
        w(DEVICE_FEATURES_SEL, 1);
        long hi = Integer.toUnsignedLong(r(DEVICE_FEATURES));
        return lo | hi << 32;
    }

    void writeFeatures(long f) {
        w(DRIVER_FEATURES_SEL, 0);
        w(DRIVER_FEATURES, f & 0xffff_ffffL);
        w(DRIVER_FEATURES_SEL, 1);
        w(DRIVER_FEATURES, f >>> 32);
    }

    /** Modern init (3.1.1): reset, ACK, DRIVER, features, FEATURES_OK, queues, DRIVER_OK. */
    void initModern(long features, int queueSize) {
        if (r(MAGIC_VALUE) != MAGIC || r(VERSION) != 2) {
            throw new AssertionError("not a modern virtio-mmio device");
        }
        w(STATUS, 0);
        w(STATUS, STATUS_ACKNOWLEDGE);
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        long f = offered() & features;
        writeFeatures(f);
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        if ((status() & STATUS_FEATURES_OK) == 0) {
            throw new AssertionError("FEATURES_OK refused");
        }
        int n = t.device().queueCount();
        for (int i = 0; i < n; i++) {
            setupModernQueue(i, queueSize);
        }
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    }

    /** Modern init again, reusing the queues already placed (for drivers that reset and come back). */
    void reinitModern(long features) {
        w(STATUS, 0);
        w(STATUS, STATUS_ACKNOWLEDGE);
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        writeFeatures(offered() & features);
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        for (Queue q : queues) {
            w(QUEUE_SEL, q.index);
            w(QUEUE_NUM, q.size);
            w(QUEUE_DESC_LOW, q.desc & 0xffff_ffffL);
            w(QUEUE_DESC_HIGH, q.desc >>> 32);
            w(QUEUE_DRIVER_LOW, q.avail & 0xffff_ffffL);
            w(QUEUE_DRIVER_HIGH, q.avail >>> 32);
            w(QUEUE_DEVICE_LOW, q.used & 0xffff_ffffL);
            w(QUEUE_DEVICE_HIGH, q.used >>> 32);
            mem.writeU16(q.avail + 2, 0);
            mem.writeU16(q.used + 2, 0);
            q.availIdx = 0;
            q.lastUsed = 0;
            q.nextDesc = 0;
            w(QUEUE_READY, 1);
        }
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
    }

    Queue setupModernQueue(int i, int size) {
        w(QUEUE_SEL, i);
        long d = allocAligned(16L * size, 16);
        long a = allocAligned(6 + 2L * size, 2);
        long u = allocAligned(6 + 8L * size, 4);
        w(QUEUE_NUM, size);
        w(QUEUE_DESC_LOW, d & 0xffff_ffffL);
        w(QUEUE_DESC_HIGH, d >>> 32);
        w(QUEUE_DRIVER_LOW, a & 0xffff_ffffL);
        w(QUEUE_DRIVER_HIGH, a >>> 32);
        w(QUEUE_DEVICE_LOW, u & 0xffff_ffffL);
        w(QUEUE_DEVICE_HIGH, u >>> 32);
        w(QUEUE_READY, 1);
        Queue q = new Queue(i, size, d, a, u);
        queues.add(q);
        return q;
    }

    /** Legacy init (4.2.4): GuestPageSize, QueuePFN layout with QueueAlign 4096, no FEATURES_OK. */
    void initLegacy(long features, int queueSize) {
        if (r(MAGIC_VALUE) != MAGIC || r(VERSION) != 1) {
            throw new AssertionError("not a legacy virtio-mmio device");
        }
        w(STATUS, 0);
        w(STATUS, STATUS_ACKNOWLEDGE);
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        w(DEVICE_FEATURES_SEL, 0);
        long f = Integer.toUnsignedLong(r(DEVICE_FEATURES)) & features;
        w(DRIVER_FEATURES_SEL, 0);
        w(DRIVER_FEATURES, f);
        w(GUEST_PAGE_SIZE, 4096);
        int n = t.device().queueCount();
        for (int i = 0; i < n; i++) {
            w(QUEUE_SEL, i);
            if (r(QUEUE_PFN) != 0) {
                throw new AssertionError("queue already in use");
            }
            long bytes = ((16L * queueSize + 6 + 2L * queueSize + 4095) & ~4095L) + 6 + 8L * queueSize;
            long d = allocAligned(bytes, 4096);
            w(QUEUE_NUM, queueSize);
            w(QUEUE_ALIGN, 4096);
            w(QUEUE_PFN, d / 4096);
            long avail = d + 16L * queueSize;
            long used = (avail + 6 + 2L * queueSize + 4095) & ~4095L;
            queues.add(new Queue(i, queueSize, d, avail, used));
        }
        w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK);
    }

    Queue q(int i) {
        return queues.get(i);
    }

    boolean needsReset() {
        return (status() & STATUS_DEVICE_NEEDS_RESET) != 0;
    }

    boolean logged(String fragment) {
        return log.entries().stream().anyMatch(e -> e.message().contains(fragment));
    }

    String logText() {
        StringBuilder sb = new StringBuilder();
        log.entries().forEach(e -> sb.append(e).append('\n'));
        return sb.toString();
    }

    void ack() {
        w(INTERRUPT_ACK, r(INTERRUPT_STATUS));
    }

    byte[] bytes(long addr, int len) {
        return mem.read(addr, len);
    }

    void put(long addr, byte[] b) {
        mem.write(addr, b, 0, b.length);
    }
}
