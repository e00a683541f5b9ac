package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.virtio.TestDriver.Buf;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;
import static dev.wirelab.emulator.device.virtio.Virtqueue.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * One hostile-guest case per test, each against a live modern virtio-net
 * ("victim"): the host stays up (nothing escapes read/write/deliver), the
 * device enters DEVICE_NEEDS_RESET with a configuration-change interrupt where
 * the spec calls for it, the guest log names the problem, and a second
 * device instance ("bystander") keeps working throughout.
 */
class HostileVirtioGuestTest {
    final List<byte[]> victimSent = new ArrayList<>();
    final List<byte[]> bystanderSent = new ArrayList<>();
    TestDriver victim;
    TestDriver bystander;

    static TestDriver net(List<byte[]> sink, long extra) {
        TestDriver d = new TestDriver();
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(0), 2, new VirtioNet(VirtioNetTest.MAC, sink::add), d.mem, d.irq, d.log));
        d.initModern(VirtioNetTest.NET_FEATURES | extra, 16);
        return d;
    }

    @BeforeEach
    void up() {
        victim = net(victimSent, bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX));
        bystander = net(bystanderSent, 0);
    }

    @AfterEach
    void bystanderStillWorks() {
        byte[] f = VirtioNetTest.frame(60, 9);
        int before = bystanderSent.size();
        VirtioNetTest.transmit(bystander, 12, f);
        assertEquals(before + 1, bystanderSent.size());
        assertArrayEquals(f, bystanderSent.getLast());
        bystander.q(0).post(new Buf(bystander.alloc(1600), 1600, true));
        assertTrue(((VirtioNet) bystander.t.device()).deliver(f));
        assertFalse(bystander.needsReset());
        assertTrue(bystander.log.entries().isEmpty(), bystander.logText());
    }

    /** The victim is broken the way 2.1.2 says, names {@code kind}, and recovers after a driver reset. */
    void assertBroken(String kind) {
        assertTrue(victim.needsReset(), "DEVICE_NEEDS_RESET\n" + victim.logText());
        assertTrue(victim.logged(kind), "log names " + kind + ":\n" + victim.logText());
        assertTrue((victim.r(INTERRUPT_STATUS) & INT_CONFIG_CHANGE) != 0, "config-change interrupt");
        assertTrue(victim.irq.level);
        // Further notifications are ignored, not re-processed.
        int entries = victim.log.entries().size();
        victim.w(QUEUE_NOTIFY, 1);
        assertTrue(victim.logged("needs reset"));
        assertEquals(entries + 1, victim.log.entries().size());
        assertFalse(((VirtioNet) victim.t.device()).deliver(new byte[60]));
        // The driver's way out: reset and initialise again.
        victim.queues.clear();
        victim.initModern(VirtioNetTest.NET_FEATURES, 16);
        assertFalse(victim.needsReset());
        int sent = victimSent.size();
        VirtioNetTest.transmit(victim, 12, new byte[60]);
        assertEquals(sent + 1, victimSent.size());
    }

    void notifyTx() {
        victim.q(1).notifyDevice();
    }

    @Test
    void descriptorLoop() {
        TestDriver.Queue tx = victim.q(1);
        long buf = victim.alloc(64);
        tx.writeDesc(tx.desc, 0, buf, 64, DESC_F_NEXT, 1);
        tx.writeDesc(tx.desc, 1, buf, 64, DESC_F_NEXT, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("CHAIN_LOOP");
        assertEquals(1, victimSent.size(), "only the recovery frame was sent");
    }

    @Test
    void loopInsideIndirectTable() {
        TestDriver.Queue tx = victim.q(1);
        long buf = victim.alloc(64);
        long table = victim.alloc(32);
        tx.writeDesc(table, 0, buf, 64, DESC_F_NEXT, 1);
        tx.writeDesc(table, 1, buf, 64, DESC_F_NEXT, 0);
        tx.writeDesc(tx.desc, 0, table, 32, DESC_F_INDIRECT, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("CHAIN_LOOP");
    }

    @Test
    void chainPointingOutsideRam() {
        TestDriver.Queue tx = victim.q(1);
        long h = victim.alloc(12);
        tx.writeDesc(tx.desc, 0, h, 12, DESC_F_NEXT, 1);
        tx.writeDesc(tx.desc, 1, 0x0900_0000L, 64, 0, 0); // the UART, not RAM
        tx.publish(0);
        notifyTx();
        assertBroken("DESCRIPTOR_OUTSIDE_MEMORY");
        assertTrue(victim.logged("addr 0x9000000 len 64"), "guest context in the message");
    }

    @Test
    void bufferRunningOffTheEndOfRam() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, TestDriver.RAM + TestDriver.RAM_SIZE - 8, 16, 0, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("DESCRIPTOR_OUTSIDE_MEMORY");
    }

    @Test
    void zeroLengthDescriptor() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, victim.alloc(16), 0, 0, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("ZERO_LENGTH_DESCRIPTOR");
    }

    @Test
    void fourGigabyteLength() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, TestDriver.RAM, 0xFFFF_FFFF, 0, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("DESCRIPTOR_OUTSIDE_MEMORY");
        assertTrue(victim.logged("len 4294967295"));
    }

    @Test
    void hugeOverlappingChainsCostNoCopying() {
        // Overlapping 1 MiB buffers are each valid; the chain total is checked, not just each piece.
        TestDriver.Queue tx = victim.q(1);
        for (int i = 0; i < 16; i++) {
            tx.writeDesc(tx.desc, i, TestDriver.RAM, TestDriver.RAM_SIZE, i < 15 ? DESC_F_NEXT : 0, i + 1);
        }
        tx.publish(0);
        notifyTx();
        // 16 MiB is below 4 GiB: accepted by the queue, dropped by net for exceeding the MTU.
        assertFalse(victim.needsReset());
        assertTrue(victim.logged("exceeds MTU"));
        // An indirect table of 1024 x 1 MiB: 1 GiB of "frame", refused by length before any copy.
        long table = victim.alloc(16L * 1024);
        for (int i = 0; i < 1024; i++) {
            tx.writeDesc(table, i, TestDriver.RAM, TestDriver.RAM_SIZE, i < 1023 ? DESC_F_NEXT : 0, i + 1);
        }
        tx.nextDesc = 1;
        tx.writeDesc(tx.desc, 1, table, 16 * 1024, DESC_F_INDIRECT, 0);
        tx.publish(1);
        notifyTx();
        assertFalse(victim.needsReset(), "1 GiB total is still under 4 GiB (VirtqueueTest covers > 4 GiB)");
        assertTrue(victimSent.isEmpty());
    }

    @Test
    void addressWrapsAround() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, 0xFFFF_FFFF_FFFF_FF00L, 0x200, 0, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("ADDRESS_WRAPS");
    }

    @Test
    void availIndexJump() {
        TestDriver.Queue tx = victim.q(1);
        victim.mem.writeU16(tx.avail + 2, 17); // 17 new entries in a queue of 16
        notifyTx();
        assertBroken("AVAIL_INDEX_JUMP");
    }

    @Test
    void availIndexJumpSeenByDeliver() {
        TestDriver.Queue rx = victim.q(0);
        victim.mem.writeU16(rx.avail + 2, 0x8000);
        assertEquals(0, ((VirtioNet) victim.t.device()).rxBuffersAvailable());
        assertBroken("AVAIL_INDEX_JUMP");
    }

    @Test
    void usedIndexScribbledByTheGuestIsIgnored() {
        TestDriver.Queue tx = victim.q(1);
        victim.mem.writeU16(tx.used + 2, 999);
        VirtioNetTest.transmit(victim, 12, new byte[60]);
        assertEquals(1, tx.usedIdx(), "the device keeps its own used index");
        assertEquals(1, victimSent.size());
        assertFalse(victim.needsReset());
    }

    @Test
    void descriptorIndexOutOfBounds() {
        TestDriver.Queue tx = victim.q(1);
        victim.mem.writeU16(tx.avail + 4, 16); // head 16 in a queue of 16
        tx.availIdx = 1;
        victim.mem.writeU16(tx.avail + 2, 1);
        notifyTx();
        assertBroken("DESC_INDEX_OUT_OF_BOUNDS");
    }

    @Test
    void nextIndexOutOfBounds() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, victim.alloc(12), 12, DESC_F_NEXT, 0xffff);
        tx.publish(0);
        notifyTx();
        assertBroken("DESC_INDEX_OUT_OF_BOUNDS");
    }

    @Test
    void queueSizeNotAPowerOfTwo() {
        victim.w(STATUS, 0);
        victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        victim.writeFeatures(VirtioNetTest.NET_FEATURES);
        victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        victim.queues.clear();
        victim.setupModernQueue(0, 12);
        assertEquals(0, victim.r(QUEUE_READY));
        assertTrue(victim.needsReset());
        assertTrue(victim.logged("QUEUE_SIZE_NOT_POWER_OF_TWO"));
        // Before DRIVER_OK there is no live driver to interrupt (2.1.2).
        assertEquals(0, victim.r(INTERRUPT_STATUS));
        victim.queues.clear();
        victim.initModern(VirtioNetTest.NET_FEATURES, 16);
        assertFalse(victim.needsReset());
    }

    @Test
    void queueSizeZeroAndTooLarge() {
        for (int size : new int[] {0, 512, 1024}) {
            victim.w(STATUS, 0);
            victim.queues.clear();
            victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
            victim.writeFeatures(VirtioNetTest.NET_FEATURES);
            victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
            victim.setupModernQueue(0, size);
            assertEquals(0, victim.r(QUEUE_READY));
            assertTrue(victim.needsReset());
        }
        assertTrue(victim.logged("QUEUE_SIZE_ZERO"));
        assertTrue(victim.logged("QUEUE_SIZE_TOO_LARGE"));
    }

    @Test
    void misalignedAndOutOfRamRings() {
        victim.w(STATUS, 0);
        victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER);
        victim.writeFeatures(VirtioNetTest.NET_FEATURES);
        victim.w(STATUS, STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK);
        victim.w(QUEUE_SEL, 0);
        victim.w(QUEUE_NUM, 16);
        victim.w(QUEUE_DESC_LOW, TestDriver.RAM + 8);
        victim.w(QUEUE_DRIVER_LOW, TestDriver.RAM + 0x1000);
        victim.w(QUEUE_DEVICE_LOW, TestDriver.RAM + 0x2000);
        victim.w(QUEUE_READY, 1);
        assertTrue(victim.logged("RING_MISALIGNED"));
        victim.w(STATUS, 0);
        victim.w(QUEUE_SEL, 0);
        victim.w(QUEUE_DESC_LOW, TestDriver.RAM);
        victim.w(QUEUE_DRIVER_LOW, TestDriver.RAM + 0x1000);
        victim.w(QUEUE_DEVICE_LOW, 0);
        victim.w(QUEUE_DEVICE_HIGH, 1);
        victim.w(QUEUE_READY, 1);
        assertTrue(victim.logged("RING_OUTSIDE_MEMORY"));
        assertTrue(victim.needsReset());
        assertEquals(0, victim.r(QUEUE_READY));
        victim.queues.clear();
        victim.initModern(VirtioNetTest.NET_FEATURES, 16);
        assertFalse(victim.needsReset());
    }

    @Test
    void notificationForAQueueNeverSetUp() {
        victim.w(QUEUE_NOTIFY, 5);
        victim.w(QUEUE_NOTIFY, 0xffff_ffffL);
        assertTrue(victim.logged("notification for queue 5 which was never set up"));
        assertFalse(victim.needsReset(), "logged and ignored");
        TestDriver fresh = new TestDriver();
        fresh.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(3), 2, new VirtioRng(1), fresh.mem, fresh.irq, fresh.log));
        fresh.w(QUEUE_NOTIFY, 0);
        assertTrue(fresh.logged("never set up"));
        assertEquals(0, fresh.status());
    }

    @Test
    void indirectTableWithBadLength() {
        TestDriver.Queue tx = victim.q(1);
        tx.writeDesc(tx.desc, 0, victim.alloc(32), 20, DESC_F_INDIRECT, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("BAD_INDIRECT_TABLE");
    }

    @Test
    void nestedIndirect() {
        TestDriver.Queue tx = victim.q(1);
        long inner = victim.alloc(16);
        long outer = victim.alloc(16);
        tx.writeDesc(inner, 0, victim.alloc(64), 64, 0, 0);
        tx.writeDesc(outer, 0, inner, 16, DESC_F_INDIRECT, 0);
        tx.writeDesc(tx.desc, 0, outer, 16, DESC_F_INDIRECT, 0);
        tx.publish(0);
        notifyTx();
        assertBroken("NESTED_INDIRECT");
    }

    @Test
    void writableDescriptorOnTransmit() {
        TestDriver.Queue tx = victim.q(1);
        tx.post(new Buf(victim.alloc(12), 12, false), new Buf(victim.alloc(60), 60, true));
        notifyTx();
        assertBroken("WRONG_DIRECTION");
    }

    @Test
    void readableDescriptorOnReceive() {
        victim.q(0).post(new Buf(victim.alloc(1600), 1600, false));
        assertFalse(((VirtioNet) victim.t.device()).deliver(new byte[60]));
        assertBroken("WRONG_DIRECTION");
    }

    @Test
    void readableAfterWritable() {
        TestDriver.Queue rx = victim.q(0);
        long a = victim.alloc(64);
        rx.writeDesc(rx.desc, 0, a, 64, DESC_F_WRITE | DESC_F_NEXT, 1);
        rx.writeDesc(rx.desc, 1, a, 64, 0, 0);
        rx.publish(0);
        assertFalse(((VirtioNet) victim.t.device()).deliver(new byte[60]));
        assertBroken("READABLE_AFTER_WRITABLE");
    }

    @Test
    void writesToReadOnlyRegisters() {
        for (int reg : new int[] {MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX,
                INTERRUPT_STATUS, CONFIG_GENERATION}) {
            victim.w(reg, 0xdead_beefL);
        }
        assertEquals(MAGIC, victim.r(MAGIC_VALUE));
        assertEquals(2, victim.r(VERSION));
        assertEquals(1, victim.r(DEVICE_ID));
        assertEquals(VENDOR_QEMU, victim.r(VENDOR_ID));
        assertEquals(0, victim.r(INTERRUPT_STATUS));
        assertTrue(victim.logged("write to read-only register 0x000"));
        assertTrue(victim.logged("write to read-only register 0x060"));
        assertFalse(victim.needsReset());
        // The driver cannot set DEVICE_NEEDS_RESET itself, nor clear it.
        victim.w(STATUS, victim.status() | STATUS_DEVICE_NEEDS_RESET);
        assertFalse(victim.needsReset());
        VirtioNetTest.transmit(victim, 12, new byte[60]);
        assertEquals(1, victimSent.size());
    }

    @Test
    void badAccessWidths() {
        for (int width : new int[] {1, 2, 8, 3, 0, -1}) {
            assertEquals(0, victim.t.read(MAGIC_VALUE, width));
            victim.t.write(STATUS, width, 0);
            victim.t.write(QUEUE_NOTIFY, width, 1);
        }
        assertEquals(0, victim.t.read(STATUS + 2, 4), "misaligned");
        assertEquals(0, victim.t.read(CONFIG + 1, 4), "misaligned config");
        assertTrue(victim.logged("bad access width"));
        assertEquals(STATUS_ACKNOWLEDGE | STATUS_DRIVER | STATUS_FEATURES_OK | STATUS_DRIVER_OK, victim.status(),
                "narrow writes of 0 to Status did not reset");
        assertTrue(victimSent.isEmpty());
        assertFalse(victim.needsReset());
    }

    @Test
    void ringsMovedOutOfRamBySnapshotAreRefused() {
        VirtioMmioTransport.State s = victim.t.save();
        Virtqueue.State q = s.queues().get(1);
        VirtioMmioTransport.State bad = new VirtioMmioTransport.State(2, 1, s.status(), s.driverFeatures(), 0, 0, 4096,
                0, 0, 0, s.queueAlign(), List.of(s.queues().get(0), new Virtqueue.State(16, true, q.desc(),
                q.avail(), 0x7000_0000L, 0, 0, 0, false)), s.device());
        assertThrows(IllegalArgumentException.class, () -> victim.t.restore(bad));
        assertEquals(s, victim.t.save(), "a refused restore changes nothing");
    }
}
