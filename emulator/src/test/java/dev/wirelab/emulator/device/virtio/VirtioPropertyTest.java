package dev.wirelab.emulator.device.virtio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Property: whatever the guest writes into its rings and descriptor tables,
 * 100k notifications (and host deliveries) never let an exception escape,
 * never hang, and cost bounded work each: guest-memory operations and bytes
 * moved per notification are counted and capped. Seeded: the same run every time.
 */
class VirtioPropertyTest {
    static final int NOTIFICATIONS = 100_000;
    /** Work cap per notification: 16 chains x (1 + 1024 indirect) descriptors x 4 reads, plus copies. */
    static final long MAX_OPS = 16L * 1025 * 8;
    static final long MAX_BYTES = 16L * VirtioRng.MAX_PER_REQUEST + (1 << 20);

    @TempDir
    Path dir;

    /** Counts every guest-memory operation and byte the devices do. */
    static final class CountingMemory implements GuestMemory {
        final GuestMemory m;
        long ops;
        long bytes;

        CountingMemory(GuestMemory m) {
            this.m = m;
        }

        @Override
        public boolean contains(long addr, long len) {
            ops++;
            return m.contains(addr, len);
        }

        @Override
        public void read(long addr, byte[] dst, int off, int len) {
            ops++;
            bytes += len;
            m.read(addr, dst, off, len);
        }

        @Override
        public void write(long addr, byte[] src, int off, int len) {
            ops++;
            bytes += len;
            m.write(addr, src, off, len);
        }

        @Override
        public int readU16(long addr) {
            ops++;
            return m.readU16(addr);
        }

        @Override
        public int readU32(long addr) {
            ops++;
            return m.readU32(addr);
        }

        @Override
        public long readU64(long addr) {
            ops++;
            return m.readU64(addr);
        }

        @Override
        public void writeU16(long addr, int value) {
            ops++;
            m.writeU16(addr, value);
        }

        @Override
        public void writeU32(long addr, int value) {
            ops++;
            m.writeU32(addr, value);
        }
    }

    record Rig(TestDriver d, CountingMemory mem, long features) {
    }

    Rig rig(VirtioDevice dev, long features) {
        TestDriver d = new TestDriver();
        CountingMemory cm = new CountingMemory(d.mem);
        d.attach(new VirtioMmioTransport(0x0a00_0000L, 2, dev, cm, d.irq, d.log));
        d.initModern(features, 16);
        return new Rig(d, cm, features);
    }

    static long randomAddr(SplittableRandom r) {
        return switch (r.nextInt(8)) {
            case 0 -> r.nextLong();
            case 1 -> TestDriver.RAM + TestDriver.RAM_SIZE - r.nextInt(64);
            case 2 -> -r.nextInt(4096);
            default -> TestDriver.RAM + r.nextInt(TestDriver.RAM_SIZE);
        };
    }

    static int randomLen(SplittableRandom r) {
        return switch (r.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFF;
            case 2 -> r.nextInt();
            case 3 -> 16 * (1 + r.nextInt(1100)); // plausible (and implausible) indirect tables
            case 4 -> r.nextInt(TestDriver.RAM_SIZE);
            default -> 1 + r.nextInt(2048);
        };
    }

    static void scribble(SplittableRandom r, TestDriver d, TestDriver.Queue q) {
        int n = 1 + r.nextInt(6);
        for (int k = 0; k < n; k++) {
            switch (r.nextInt(14)) {
                case 10, 11, 12, 13 -> { // a well-formed chain, the direction chosen at random
                    int segs = 1 + r.nextInt(4);
                    boolean writable = r.nextBoolean();
                    TestDriver.Buf[] bufs = new TestDriver.Buf[segs];
                    for (int j = 0; j < segs; j++) {
                        int len = 1 + r.nextInt(1024);
                        bufs[j] = new TestDriver.Buf(TestDriver.RAM + 0x8_0000 + r.nextInt(0x7_0000), len,
                                writable || (j == segs - 1 && r.nextInt(4) == 0));
                    }
                    q.post(bufs);
                }
                case 0 -> { // raw random bytes over part of the table or rings
                    long[] regions = {q.desc, q.avail, q.used};
                    long base = regions[r.nextInt(3)];
                    byte[] junk = new byte[1 + r.nextInt(48)];
                    r.nextBytes(junk);
                    d.mem.write(base + r.nextInt(64), junk, 0, junk.length);
                }
                case 1 -> d.mem.writeU16(q.avail + 2, r.nextInt(65536)); // any avail idx
                case 2 -> d.mem.writeU16(q.avail, r.nextInt(4)); // avail flags
                case 3 -> q.setUsedEvent(r.nextInt(65536));
                case 4 -> { // a random indirect table somewhere in RAM
                    long t = TestDriver.RAM + 16L * r.nextInt(TestDriver.RAM_SIZE / 16 - 64);
                    for (int i = 0; i < 1 + r.nextInt(8); i++) {
                        q.writeDesc(t, i, randomAddr(r), randomLen(r), r.nextInt(8), r.nextInt(10));
                    }
                    q.writeDesc(q.desc, r.nextInt(q.size), t, 16 * (1 + r.nextInt(8)), Virtqueue.DESC_F_INDIRECT, 0);
                }
                default -> { // a plausible-looking descriptor, then publish a head
                    q.writeDesc(q.desc, r.nextInt(q.size + 2) % q.size, randomAddr(r), randomLen(r), r.nextInt(8),
                            r.nextInt(q.size + 4));
                    q.publish(r.nextInt(q.size + 2));
                }
            }
        }
    }

    @Test
    @Timeout(180)
    void randomRingsNeverEscapeNeverHangStayBounded() throws IOException {
        Path img = dir.resolve("fuzz.img");
        Files.write(img, new byte[8 * 512]);
        List<byte[]> sent = new ArrayList<>();
        VirtioNet net = new VirtioNet(VirtioNetTest.MAC, 1500, true, sent::add);
        long all = -1L;
        List<Rig> rigs = List.of(
                rig(net, all),
                rig(new VirtioNet(VirtioNetTest.MAC, 1500, false, f -> { }), VirtioNetTest.NET_FEATURES),
                rig(new VirtioRng(5), all),
                rig(VirtioBlk.open(img, true), all));
        SplittableRandom r = new SplittableRandom(0x5eed);
        long maxOps = 0;
        long maxBytes = 0;
        int resets = 0;
        for (int it = 0; it < NOTIFICATIONS; it++) {
            final int i = it;
            Rig rig = rigs.get(r.nextInt(rigs.size()));
            TestDriver d = rig.d();
            if ((d.status() & STATUS_DRIVER_OK) == 0 || d.needsReset()) {
                d.reinitModern(rig.features());
                resets++;
            }
            TestDriver.Queue q = d.q(r.nextInt(d.queues.size()));
            scribble(r, d, q);
            rig.mem().ops = 0;
            rig.mem().bytes = 0;
            switch (r.nextInt(20)) {
                case 0 -> d.w(r.nextInt(0x40) * 4, r.nextInt(8) == 0 ? r.nextLong() : r.nextInt(64)); // any register
                case 1 -> d.t.read(r.nextInt(0x200), 1 << r.nextInt(4));
                case 2, 3 -> {
                    if (d.t.device() instanceof VirtioNet n) {
                        n.deliver(new byte[r.nextInt(1600)]);
                        n.rxBuffersAvailable();
                    } else {
                        q.notifyDevice();
                    }
                }
                default -> q.notifyDevice();
            }
            maxOps = Math.max(maxOps, rig.mem().ops);
            maxBytes = Math.max(maxBytes, rig.mem().bytes);
            assertEquals(0, d.t.internalErrors(), () -> "internal error at iteration " + i + "\n" + d.logText());
            assertTrue(rig.mem().ops <= MAX_OPS, "ops " + rig.mem().ops + " at iteration " + i);
            assertTrue(rig.mem().bytes <= MAX_BYTES, "bytes " + rig.mem().bytes + " at iteration " + i);
        }
        // The run exercised both the error paths and the working paths.
        assertTrue(resets > 100, "resets " + resets);
        long kinds = java.util.Arrays.stream(VirtioException.Kind.values())
                .filter(k -> rigs.stream().anyMatch(g -> g.d().logged(k.name()))).count();
        assertTrue(kinds >= 8, "distinct error kinds seen: " + kinds);
        System.out.printf("virtio property: %d notifications, %d resets, %d error kinds, max ops %d, max bytes %d, %d frames%n",
                NOTIFICATIONS, resets, kinds, maxOps, maxBytes, sent.size());
    }

    @Test
    void worstCaseNotificationIsBounded() {
        // 16 heads, each an indirect table of 1024 one-byte buffers: the most descriptors one notify can walk.
        List<byte[]> sent = new ArrayList<>();
        Rig rig = rig(new VirtioNet(VirtioNetTest.MAC, sent::add), -1L);
        TestDriver d = rig.d();
        TestDriver.Queue tx = d.q(1);
        long buf = d.alloc(1024);
        for (int h = 0; h < 16; h++) {
            long table = d.alloc(16L * Virtqueue.MAX_INDIRECT);
            for (int i = 0; i < Virtqueue.MAX_INDIRECT; i++) {
                tx.writeDesc(table, i, buf + i, 1, i + 1 < Virtqueue.MAX_INDIRECT ? Virtqueue.DESC_F_NEXT : 0, i + 1);
            }
            tx.writeDesc(tx.desc, h, table, 16 * Virtqueue.MAX_INDIRECT, Virtqueue.DESC_F_INDIRECT, 0);
            tx.publish(h);
        }
        rig.mem().ops = 0;
        tx.notifyDevice();
        assertEquals(16, sent.size(), d.logText());
        assertEquals(1024 - 12, sent.get(0).length);
        assertTrue(rig.mem().ops <= MAX_OPS, "ops " + rig.mem().ops);
        assertFalse(d.needsReset());
    }
}
