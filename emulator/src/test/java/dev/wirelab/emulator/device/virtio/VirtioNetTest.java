package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.virtio.TestDriver.Buf;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.*;

class VirtioNetTest {
    static final byte[] MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    static final long NET_FEATURES = bit(VirtioNet.F_MAC) | bit(VirtioNet.F_STATUS) | bit(VirtioNet.F_MTU)
            | bit(F_VERSION_1);

    final List<byte[]> sent = new ArrayList<>();

    TestDriver net(int version, boolean mergeable, long features) {
        TestDriver d = new TestDriver();
        VirtioNet n = new VirtioNet(MAC, 1500, mergeable, sent::add);
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), version, n, d.mem, d.irq, d.log));
        if (version == 2) {
            d.initModern(features, 16);
        } else {
            d.initLegacy(features, 16);
        }
        return d;
    }

    static VirtioNet dev(TestDriver d) {
        return (VirtioNet) d.t.device();
    }

    static byte[] frame(int len, int seed) {
        byte[] f = new byte[len];
        for (int i = 0; i < len; i++) {
            f[i] = (byte) (i * 7 + seed);
        }
        return f;
    }

    /** Posts header+frame as two readable descriptors on the TX queue and notifies. */
    static void transmit(TestDriver d, int hdrLen, byte[] frame) {
        long h = d.alloc(hdrLen);
        long p = d.alloc(frame.length);
        d.put(p, frame);
        d.q(1).post(new Buf(h, hdrLen, false), new Buf(p, frame.length, false));
        d.q(1).notifyDevice();
    }

    @Test
    void modernInitNegotiatesAndReadsConfig() {
        TestDriver d = net(2, false, NET_FEATURES);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK, d.status());
        assertEquals(1, d.r(DEVICE_ID));
        assertEquals(VENDOR_QEMU, d.r(VENDOR_ID));
        assertTrue(has(d.offered(), F_VERSION_1));
        assertEquals(NET_FEATURES, d.t.driverFeatures());
        for (int i = 0; i < 6; i++) {
            assertEquals(MAC[i] & 0xff, d.t.read(CONFIG + i, 1));
        }
        assertEquals(VirtioNet.S_LINK_UP, d.t.read(CONFIG + 6, 2));
        assertEquals(1, d.t.read(CONFIG + 8, 2));
        assertEquals(1500, d.t.read(CONFIG + 10, 2));
        assertEquals(0x12005452L, d.t.read(CONFIG, 4));
        assertEquals(12, dev(d).headerLength());
        assertEquals(0, d.r(QUEUE_SEL), "QueueSel is write-only: reads 0 and logs");
        assertTrue(d.logged("read of write-only register 0x030"));
    }

    @Test
    void legacyInitUsesTenByteHeaderAndNoVersion1() {
        TestDriver d = net(1, false, NET_FEATURES);
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_DRIVER_OK, d.status());
        assertFalse(has(d.offered(), F_VERSION_1));
        assertEquals(10, dev(d).headerLength());
        d.w(QUEUE_SEL, 0);
        assertEquals(d.q(0).desc / 4096, d.r(QUEUE_PFN));
        byte[] f = frame(60, 1);
        transmit(d, 10, f);
        assertEquals(1, sent.size());
        assertArrayEquals(f, sent.get(0));
        long buf = d.alloc(1600);
        d.q(0).post(new Buf(buf, 1600, true));
        assertTrue(dev(d).deliver(f));
        assertEquals(10 + 60, d.q(0).takeUsed()[1]);
        assertArrayEquals(new byte[10], d.bytes(buf, 10));
        assertArrayEquals(f, d.bytes(buf + 10, 60));
        assertTrue(d.log.entries().isEmpty() || !d.needsReset(), d.logText());
    }

    @Test
    void legacyWithMergeableUsesTwelveByteHeader() {
        TestDriver d = net(1, true, NET_FEATURES | bit(VirtioNet.F_MRG_RXBUF));
        assertEquals(12, dev(d).headerLength());
    }

    @Test
    void transmittedFrameReachesTheSinkWithHeaderStripped() {
        TestDriver d = net(2, false, NET_FEATURES);
        byte[] f = frame(1514, 3);
        transmit(d, 12, f);
        assertEquals(1, sent.size());
        assertArrayEquals(f, sent.get(0));
        int[] used = d.q(1).takeUsed();
        assertEquals(0, used[0]);
        assertEquals(0, used[1]);
        assertTrue(d.irq.level);
        assertEquals(1, dev(d).transmitted());
        assertFalse(d.needsReset());
    }

    @Test
    void oversizedTransmitIsDroppedAndLogged() {
        TestDriver d = net(2, false, NET_FEATURES);
        transmit(d, 12, frame(1515, 0));
        assertTrue(sent.isEmpty());
        assertEquals(1, dev(d).txDropped());
        assertTrue(d.logged("exceeds MTU"), d.logText());
        assertNotNull(d.q(1).takeUsed(), "the buffer is still returned");
        assertFalse(d.needsReset());
    }

    @Test
    void deliverWritesHeaderAndFrameAndRaisesInterrupt() {
        TestDriver d = net(2, false, NET_FEATURES);
        assertEquals(0, dev(d).rxBuffersAvailable());
        assertFalse(dev(d).deliver(frame(60, 0)), "no buffer posted");
        assertEquals(1, dev(d).rxDropped());
        long buf = d.alloc(2048);
        d.put(buf, frame(2048, 99)); // garbage the device must overwrite
        d.q(0).post(new Buf(buf, 2048, true));
        d.q(0).notifyDevice();
        assertEquals(1, dev(d).rxBuffersAvailable());
        assertFalse(d.irq.level);
        byte[] f = frame(342, 5);
        assertTrue(dev(d).deliver(f));
        assertEquals(0, dev(d).rxBuffersAvailable());
        int[] used = d.q(0).takeUsed();
        assertEquals(0, used[0]);
        assertEquals(12 + 342, used[1]);
        byte[] hdr = d.bytes(buf, 12);
        assertEquals(1, hdr[10], "num_buffers = 1");
        assertArrayEquals(Arrays.copyOf(hdr, 10), new byte[10]);
        assertArrayEquals(f, d.bytes(buf + 12, 342));
        assertTrue(d.irq.level);
        assertEquals(INT_USED_BUFFER, d.r(INTERRUPT_STATUS));
        d.w(INTERRUPT_ACK, INT_USED_BUFFER);
        assertFalse(d.irq.level);
        assertEquals(0, d.r(INTERRUPT_STATUS));
    }

    @Test
    void deliverIntoBufferSplitOverDescriptors() {
        TestDriver d = net(2, false, NET_FEATURES);
        long a = d.alloc(12);
        long b = d.alloc(20);
        long c = d.alloc(100);
        d.q(0).post(new Buf(a, 12, true), new Buf(b, 20, true), new Buf(c, 100, true));
        byte[] f = frame(64, 1);
        assertTrue(dev(d).deliver(f));
        assertArrayEquals(Arrays.copyOfRange(f, 0, 20), d.bytes(b, 20));
        assertArrayEquals(Arrays.copyOfRange(f, 20, 64), d.bytes(c, 44));
    }

    @Test
    void tooSmallBufferDropsTheFrameAndReturnsTheBuffer() {
        TestDriver d = net(2, false, NET_FEATURES);
        long buf = d.alloc(64);
        d.q(0).post(new Buf(buf, 64, true));
        assertFalse(dev(d).deliver(frame(100, 0)));
        assertEquals(1, dev(d).rxDropped());
        assertEquals(0, d.q(0).takeUsed()[1]);
        assertFalse(d.needsReset());
    }

    @Test
    void mergeableReceiveSpreadsOverBuffers() {
        TestDriver d = net(2, true, NET_FEATURES | bit(VirtioNet.F_MRG_RXBUF));
        long[] bufs = new long[3];
        for (int i = 0; i < 3; i++) {
            bufs[i] = d.alloc(100);
            d.q(0).post(new Buf(bufs[i], 100, true));
        }
        byte[] f = frame(150, 2);
        assertTrue(dev(d).deliver(f));
        assertEquals(100, d.q(0).takeUsed()[1]);
        assertEquals(62, d.q(0).takeUsed()[1]);
        assertNull(d.q(0).takeUsed());
        assertEquals(2, d.bytes(bufs[0], 12)[10], "num_buffers");
        assertArrayEquals(Arrays.copyOfRange(f, 0, 88), d.bytes(bufs[0] + 12, 88));
        assertArrayEquals(Arrays.copyOfRange(f, 88, 150), d.bytes(bufs[1], 62));
        assertEquals(1, dev(d).rxBuffersAvailable());
        // Not enough room left: nothing consumed.
        assertFalse(dev(d).deliver(frame(200, 0)));
        assertEquals(1, dev(d).rxBuffersAvailable());
    }

    @Test
    void indirectDescriptorsOnTransmitAndReceive() {
        TestDriver d = net(2, false, NET_FEATURES | bit(F_RING_INDIRECT_DESC));
        assertTrue(has(d.t.driverFeatures(), F_RING_INDIRECT_DESC));
        long h = d.alloc(12);
        long p1 = d.alloc(30);
        long p2 = d.alloc(30);
        byte[] f = frame(60, 4);
        d.put(p1, Arrays.copyOfRange(f, 0, 30));
        d.put(p2, Arrays.copyOfRange(f, 30, 60));
        d.q(1).postIndirect(new Buf(h, 12, false), new Buf(p1, 30, false), new Buf(p2, 30, false));
        d.q(1).notifyDevice();
        assertArrayEquals(f, sent.get(0));
        long r1 = d.alloc(12);
        long r2 = d.alloc(1514);
        d.q(0).postIndirect(new Buf(r1, 12, true), new Buf(r2, 1514, true));
        assertTrue(dev(d).deliver(f));
        assertArrayEquals(f, d.bytes(r2, 60));
        assertFalse(d.needsReset(), d.logText());
    }

    @Test
    void indirectWithoutNegotiationIsAnError() {
        TestDriver d = net(2, false, NET_FEATURES);
        long h = d.alloc(72);
        d.q(1).postIndirect(new Buf(h, 72, false));
        d.q(1).notifyDevice();
        assertTrue(d.needsReset());
        assertTrue(d.logged("INDIRECT_NOT_NEGOTIATED"), d.logText());
    }

    @Test
    void eventIndexSuppressesAndRequestsInterrupts() {
        TestDriver d = net(2, false, NET_FEATURES | bit(F_RING_EVENT_IDX));
        assertTrue(has(d.t.driverFeatures(), F_RING_EVENT_IDX));
        TestDriver.Queue rx = d.q(0);
        for (int i = 0; i < 4; i++) {
            rx.post(new Buf(d.alloc(1600), 1600, true));
        }
        // Driver asks to be interrupted only once used idx passes 2 (used_event = 2).
        rx.setUsedEvent(2);
        assertTrue(dev(d).deliver(frame(60, 0))); // used idx 1: first signal (no history yet)
        assertTrue(d.irq.level);
        d.ack();
        assertEquals(1, rx.availEvent(), "avail_event = next avail entry the device will read");
        assertTrue(dev(d).deliver(frame(60, 0))); // used idx 2: event 2 not yet crossed
        assertFalse(d.irq.level);
        assertTrue(dev(d).deliver(frame(60, 0))); // used idx 3: crossed used_event 2
        assertTrue(d.irq.level);
        d.ack();
        rx.setUsedEvent(100);
        assertTrue(dev(d).deliver(frame(60, 0)));
        assertFalse(d.irq.level);
        assertEquals(4, rx.availEvent());
    }

    @Test
    void noInterruptFlagIsHonouredWithoutEventIndex() {
        TestDriver d = net(2, false, NET_FEATURES);
        d.q(0).post(new Buf(d.alloc(1600), 1600, true));
        d.mem.writeU16(d.q(0).avail, Virtqueue.AVAIL_F_NO_INTERRUPT);
        assertTrue(dev(d).deliver(frame(60, 0)));
        assertFalse(d.irq.level);
    }

    @Test
    void linkStatusChangeRaisesConfigInterrupt() {
        TestDriver d = net(2, false, NET_FEATURES);
        int gen = d.r(CONFIG_GENERATION);
        dev(d).setLinkUp(false);
        assertEquals(0, d.t.read(CONFIG + 6, 2));
        assertEquals(INT_CONFIG_CHANGE, d.r(INTERRUPT_STATUS));
        assertTrue(d.irq.level);
        assertNotEquals(gen, d.r(CONFIG_GENERATION));
        d.q(0).post(new Buf(d.alloc(1600), 1600, true));
        assertFalse(dev(d).deliver(frame(60, 0)), "link down drops");
        d.w(INTERRUPT_ACK, INT_CONFIG_CHANGE);
        assertFalse(d.irq.level);
        dev(d).setLinkUp(true);
        assertTrue(dev(d).deliver(frame(60, 0)));
    }

    @Test
    void deliverBeforeDriverOkDrops() {
        TestDriver d = new TestDriver();
        VirtioNet n = new VirtioNet(MAC, sent::add);
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), 2, n, d.mem, d.irq, d.log));
        assertFalse(n.deliver(frame(60, 0)));
        assertEquals(0, n.rxBuffersAvailable());
    }

    @Test
    void snapshotRoundTrip() {
        TestDriver d = net(2, false, NET_FEATURES | bit(F_RING_EVENT_IDX));
        transmit(d, 12, frame(60, 0));
        VirtioMmioTransport.State s = d.t.save();
        assertEquals(new VirtioNet.State(0x525400123456L, 1500, true, 1, 0, 0, 0), s.device());
        d.w(STATUS, 0);
        dev(d).setLinkUp(false);
        assertEquals(0, d.status());
        d.t.restore(s);
        assertTrue(dev(d).linkUp());
        assertEquals(s, d.t.save());
        transmit(d, 12, frame(70, 0));
        assertEquals(2, sent.size());
        assertEquals(70, sent.get(1).length);
        // Restore validates.
        VirtioMmioTransport.State bad = new VirtioMmioTransport.State(1, 1, s.status(), s.driverFeatures(),
                0, 0, 4096, 0, 0, 0, s.queueAlign(), s.queues(), s.device());
        assertThrows(IllegalArgumentException.class, () -> d.t.restore(bad));
        Virtqueue.State q = s.queues().get(0);
        VirtioMmioTransport.State badQueue = new VirtioMmioTransport.State(2, 1, s.status(), s.driverFeatures(),
                0, 0, 4096, 0, 0, 0, s.queueAlign(), List.of(new Virtqueue.State(q.size(), true, 0x10, q.avail(),
                q.used(), 0, 0, 0, false), s.queues().get(1)), s.device());
        assertThrows(IllegalArgumentException.class, () -> d.t.restore(badQueue));
        assertThrows(IllegalArgumentException.class, () -> dev(d).restore(new VirtioNet.State(1, 1500, true, 0, 0, 0, 0)));
        assertThrows(IllegalArgumentException.class, () -> dev(d).restore(new VirtioRng.State(1, 0)));
        VirtioMmioTransport.State wrongDevice = new VirtioMmioTransport.State(2, 1, s.status(), s.driverFeatures(),
                0, 0, 4096, 0, 0, 0, s.queueAlign(), s.queues(), new VirtioRng.State(1, 0));
        assertThrows(IllegalArgumentException.class, () -> d.t.restore(wrongDevice));
        assertEquals(2, ((VirtioNet.State) d.t.save().device()).transmitted(), "refused restores changed nothing");
    }
}
