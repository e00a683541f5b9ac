package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.board.VirtMemoryMap;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.*;

class VirtioMmioTransportTest {
    final List<byte[]> sent = new ArrayList<>();

    TestDriver fresh(int version) {
        TestDriver d = new TestDriver();
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), version, new VirtioNet(VirtioNetTest.MAC, sent::add), d.mem, d.irq, d.log));
        return d;
    }

    @Test
    void emptySlotProbesLikeQemu() {
        for (int version : new int[] {1, 2}) {
            TestDriver d = new TestDriver();
            VirtioMmioTransport t = VirtioMmioTransport.empty(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(31), version, d.log);
            assertEquals(VirtMemoryMap.virtioSlotBase(31), t.base());
            assertEquals(0x200, t.size());
            assertEquals(MAGIC, t.read(MAGIC_VALUE, 4));
            assertEquals(version, t.read(VERSION, 4));
            assertEquals(0, t.read(DEVICE_ID, 4));
            assertEquals(VENDOR_QEMU, t.read(VENDOR_ID, 4));
            assertEquals(0, t.read(DEVICE_FEATURES, 4));
            assertEquals(0, t.read(QUEUE_NUM_MAX, 4));
            assertEquals(0, t.read(CONFIG, 4));
            t.write(STATUS, 4, 1);
            t.write(QUEUE_NOTIFY, 4, 0);
            t.write(CONFIG, 1, 1);
            assertEquals(0, t.read(STATUS, 4));
            t.reset();
        }
    }

    @Test
    void identificationRegisters() {
        TestDriver d = fresh(2);
        assertEquals(0x74726976, d.r(MAGIC_VALUE));
        assertEquals(2, d.r(VERSION));
        assertEquals(1, d.r(DEVICE_ID));
        assertEquals(0x554d4551, d.r(VENDOR_ID));
        assertEquals(1, fresh(1).r(VERSION));
        d.w(QUEUE_SEL, 0);
        assertEquals(VirtioNet.QUEUE_SIZE, d.r(QUEUE_NUM_MAX));
        d.w(QUEUE_SEL, 2);
        assertEquals(0, d.r(QUEUE_NUM_MAX), "queue 2 does not exist");
    }

    @Test
    void refusesFeaturesOkForUnofferedFeatures() {
        TestDriver d = fresh(2);
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        d.writeFeatures(d.offered() | bit(VirtioNet.F_MRG_RXBUF) | bit(0));
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        assertEquals(0, d.status() & STATUS_FEATURES_OK);
        assertTrue(d.logged("not offered"), d.logText());
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK);
        assertEquals(0, d.status() & STATUS_DRIVER_OK, "no DRIVER_OK without FEATURES_OK");
    }

    @Test
    void modernRequiresVersion1() {
        TestDriver d = fresh(2);
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        d.writeFeatures(bit(VirtioNet.F_MAC));
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        assertEquals(0, d.status() & STATUS_FEATURES_OK);
        assertTrue(d.logged("VERSION_1"));
    }

    @Test
    void featuresCannotChangeAfterFeaturesOk() {
        TestDriver d = fresh(2);
        d.initModern(VirtioNetTest.NET_FEATURES, 16);
        d.writeFeatures(bit(F_VERSION_1));
        assertEquals(VirtioNetTest.NET_FEATURES, d.t.driverFeatures());
        assertTrue(d.logged("after FEATURES_OK"));
    }

    @Test
    void featureWindows() {
        TestDriver d = fresh(2);
        d.w(DEVICE_FEATURES_SEL, 1);
        assertEquals(1, d.r(DEVICE_FEATURES), "VERSION_1 is bit 32");
        d.w(DEVICE_FEATURES_SEL, 7);
        assertEquals(0, d.r(DEVICE_FEATURES));
        d.w(DEVICE_FEATURES_SEL, 0);
        int lo = d.r(DEVICE_FEATURES);
        assertTrue((lo & (1 << VirtioNet.F_MAC)) != 0);
        assertTrue((lo & (1 << F_RING_EVENT_IDX)) != 0);
        assertTrue((lo & (1 << F_RING_INDIRECT_DESC)) != 0);
    }

    @Test
    void writingZeroResets() {
        TestDriver d = fresh(2);
        d.initModern(VirtioNetTest.NET_FEATURES, 16);
        VirtioNetTest.transmit(d, 12, VirtioNetTest.frame(60, 0));
        assertTrue(d.irq.level);
        d.w(STATUS, 0);
        assertEquals(0, d.status());
        assertFalse(d.irq.level);
        assertEquals(0, d.r(INTERRUPT_STATUS));
        d.w(QUEUE_SEL, 0);
        assertEquals(0, d.r(QUEUE_READY));
        assertEquals(0, d.t.driverFeatures());
        // And it comes back up.
        d.queues.clear();
        d.initModern(VirtioNetTest.NET_FEATURES, 16);
        VirtioNetTest.transmit(d, 12, VirtioNetTest.frame(60, 0));
        assertEquals(2, sent.size());
    }

    @Test
    void modernQueueAddressesReadBackAndAreFrozenWhileReady() {
        TestDriver d = fresh(2);
        d.initModern(VirtioNetTest.NET_FEATURES, 16);
        d.w(QUEUE_SEL, 1);
        assertEquals(1, d.r(QUEUE_READY));
        assertEquals(d.q(1).desc, Integer.toUnsignedLong(d.r(QUEUE_DESC_LOW)));
        assertEquals(0, d.r(QUEUE_DESC_HIGH));
        assertEquals(d.q(1).avail, Integer.toUnsignedLong(d.r(QUEUE_DRIVER_LOW)));
        assertEquals(d.q(1).used, Integer.toUnsignedLong(d.r(QUEUE_DEVICE_LOW)));
        d.w(QUEUE_DESC_LOW, 0x1234_0000);
        assertEquals(d.q(1).desc, Integer.toUnsignedLong(d.r(QUEUE_DESC_LOW)));
        assertTrue(d.logged("while queue 1 is ready"));
    }

    @Test
    void legacyLayoutFollowsPfnAndAlign() {
        TestDriver d = fresh(1);
        d.initLegacy(-1L, 16);
        Virtqueue q = d.t.queue(0);
        assertEquals(d.q(0).desc, q.descAddr());
        assertEquals(d.q(0).desc + 256, q.availAddr());
        assertEquals(d.q(0).desc + 4096, q.usedAddr());
        assertTrue(q.ready());
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_PFN, 0);
        assertFalse(q.ready(), "PFN 0 releases the queue");
        // Modern-only registers in legacy mode are logged, not fatal.
        assertEquals(0, d.r(QUEUE_READY));
        assertTrue(d.logged("modern-only"));
    }

    @Test
    void configAccessWidths() {
        TestDriver d = fresh(2);
        assertEquals(0x5452, d.t.read(CONFIG, 2));
        assertEquals(0, d.t.read(CONFIG + 1, 2), "unaligned");
        assertEquals(0, d.t.read(CONFIG, 8), "8-byte config access");
        assertTrue(d.logged("bad access width"));
        assertEquals(0, d.t.read(CONFIG + 12, 4), "beyond config");
        assertTrue(d.logged("beyond config space"));
        d.t.write(CONFIG, 1, 0xff);
        assertEquals(0x52, d.t.read(CONFIG, 1), "config is read-only");
        assertTrue(d.logged("read-only config"));
    }

    @Test
    void outOfRangeOffsetsAreLogged() {
        TestDriver d = fresh(2);
        assertEquals(0, d.t.read(0x200, 4));
        assertEquals(0, d.t.read(-4, 4));
        assertEquals(0, d.t.read(0x0f0, 4));
        d.t.write(0x0f0, 4, 1);
        d.t.write(Long.MAX_VALUE, 4, 1);
        assertTrue(d.logged("bad offset"));
        assertFalse(d.needsReset());
    }

    @Test
    void guestProbeOfAll32Slots() {
        TestDriver d = new TestDriver();
        List<VirtioMmioTransport> slots = new ArrayList<>();
        for (int slot = 0; slot < VirtMemoryMap.VIRTIO_SLOTS; slot++) {
            slots.add(switch (slot) {
                case 0 -> new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), 2, new VirtioNet(VirtioNetTest.MAC, sent::add), d.mem, d.irq, d.log);
                case 2 -> new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(2), 2, new VirtioRng(1), d.mem, d.irq, d.log);
                default -> VirtioMmioTransport.empty(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(slot), 2, d.log);
            });
        }
        StringBuilder found = new StringBuilder();
        for (VirtioMmioTransport t : slots) {
            assertEquals(VirtMemoryMap.VIRTIO_BASE + VirtMemoryMap.VIRTIO_STRIDE * slots.indexOf(t), t.base());
            if (t.read(MAGIC_VALUE, 4) == MAGIC && t.read(VERSION, 4) == 2 && t.read(DEVICE_ID, 4) != 0) {
                found.append(slots.indexOf(t)).append(':').append(t.read(DEVICE_ID, 4)).append(' ');
            }
        }
        assertEquals("0:1 2:4 ", found.toString());
        assertTrue(d.log.entries().isEmpty(), d.logText());
        assertThrows(IllegalArgumentException.class, () -> VirtioMmioTransport.empty(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(32), 2, d.log));
        assertThrows(IllegalArgumentException.class, () -> VirtioMmioTransport.empty(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), 3, d.log));
    }

    @Test
    void legacyQueueOutsideRamBreaksTheDevice() {
        TestDriver d = fresh(1);
        d.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        d.w(GUEST_PAGE_SIZE, 4096);
        d.w(QUEUE_SEL, 0);
        d.w(QUEUE_NUM, 16);
        d.w(QUEUE_PFN, 0x1000); // 16 MiB: no RAM there
        assertTrue(d.needsReset());
        assertTrue(d.logged("RING_OUTSIDE_MEMORY"));
        assertEquals(0, d.r(QUEUE_PFN));
        d.w(GUEST_PAGE_SIZE, 3000);
        assertTrue(d.logged("GuestPageSize 3000"));
        d.w(QUEUE_ALIGN, 0);
        assertTrue(d.logged("QueueAlign 0"));
        d.queues.clear();
        d.initLegacy(-1L, 16);
        assertFalse(d.needsReset());
        VirtioNetTest.transmit(d, 10, new byte[60]);
        assertEquals(1, sent.size());
    }

    @Test
    void legacyEventIndexAndIndirect() {
        TestDriver d = fresh(1);
        d.initLegacy(-1L, 16);
        assertTrue(has(d.t.driverFeatures(), F_RING_EVENT_IDX));
        long h = d.alloc(10);
        long p = d.alloc(60);
        d.q(1).postIndirect(new TestDriver.Buf(h, 10, false), new TestDriver.Buf(p, 60, false));
        d.q(1).notifyDevice();
        assertEquals(1, sent.size());
        assertEquals(1, d.q(1).availEvent());
        assertFalse(d.needsReset(), d.logText());
    }
}
