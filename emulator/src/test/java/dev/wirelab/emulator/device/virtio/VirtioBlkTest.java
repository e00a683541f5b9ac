package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.virtio.TestDriver.Buf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static dev.wirelab.emulator.device.virtio.Virtio.*;
import static dev.wirelab.emulator.device.virtio.VirtioMmioTransport.*;
import static org.junit.jupiter.api.Assertions.*;

class VirtioBlkTest {
    static final int SECTORS = 16;

    @TempDir
    Path dir;

    Path image() throws IOException {
        byte[] b = new byte[SECTORS * 512 + 100]; // a partial last sector is not part of the disk
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (i / 512 * 31 + i);
        }
        Path p = dir.resolve("disk.img");
        Files.write(p, b);
        return p;
    }

    TestDriver blk(boolean writable, int version) throws IOException {
        TestDriver d = new TestDriver();
        VirtioBlk blk = VirtioBlk.open(image(), writable);
        d.attach(new VirtioMmioTransport(dev.wirelab.emulator.board.VirtMemoryMap.virtioSlotBase(1), version, blk, d.mem, d.irq, d.log));
        if (version == 2) {
            d.initModern(-1L, 16);
        } else {
            d.initLegacy(-1L, 16);
        }
        return d;
    }

    static byte[] header(int type, long sector) {
        byte[] h = new byte[16];
        h[0] = (byte) type;
        for (int i = 0; i < 8; i++) {
            h[8 + i] = (byte) (sector >>> (8 * i));
        }
        return h;
    }

    /** Submits one request; returns {status, usedLen}. */
    static int[] request(TestDriver d, int type, long sector, long data, int dataLen, boolean dataWritable) {
        long h = d.alloc(16);
        d.put(h, header(type, sector));
        long s = d.alloc(1);
        d.put(s, new byte[] {(byte) 0x7f});
        if (dataLen > 0) {
            d.q(0).post(new Buf(h, 16, false), new Buf(data, dataLen, dataWritable), new Buf(s, 1, true));
        } else {
            d.q(0).post(new Buf(h, 16, false), new Buf(s, 1, true));
        }
        d.q(0).notifyDevice();
        int[] used = d.q(0).takeUsed();
        assertNotNull(used, d.logText());
        return new int[] {d.bytes(s, 1)[0], used[1]};
    }

    @Test
    void configAndFeatures() throws IOException {
        TestDriver d = blk(false, 2);
        assertEquals(2, d.r(DEVICE_ID));
        assertEquals(SECTORS, d.t.read(CONFIG, 4));
        assertEquals(0, d.t.read(CONFIG + 4, 4));
        assertTrue(has(d.t.driverFeatures(), VirtioBlk.F_RO));
        assertFalse(has(blk(true, 2).t.driverFeatures(), VirtioBlk.F_RO));
    }

    @Test
    void readSectors() throws IOException {
        for (int version : new int[] {1, 2}) {
            TestDriver d = blk(false, version);
            long buf = d.alloc(1024);
            int[] r = request(d, VirtioBlk.T_IN, 3, buf, 1024, true);
            assertEquals(VirtioBlk.S_OK, r[0]);
            assertEquals(1025, r[1]);
            byte[] expect = Arrays.copyOfRange(Files.readAllBytes(dir.resolve("disk.img")), 3 * 512, 5 * 512);
            assertArrayEquals(expect, d.bytes(buf, 1024));
            assertTrue(d.irq.level);
        }
    }

    @Test
    void writeThenReadBack() throws IOException {
        TestDriver d = blk(true, 2);
        long buf = d.alloc(512);
        byte[] data = new byte[512];
        Arrays.fill(data, (byte) 0xA5);
        d.put(buf, data);
        assertEquals(VirtioBlk.S_OK, request(d, VirtioBlk.T_OUT, 15, buf, 512, false)[0]);
        assertEquals(VirtioBlk.S_OK, request(d, VirtioBlk.T_FLUSH, 0, 0, 0, false)[0]);
        byte[] file = Files.readAllBytes(dir.resolve("disk.img"));
        assertArrayEquals(data, Arrays.copyOfRange(file, 15 * 512, 16 * 512));
        long back = d.alloc(512);
        assertEquals(VirtioBlk.S_OK, request(d, VirtioBlk.T_IN, 15, back, 512, true)[0]);
        assertArrayEquals(data, d.bytes(back, 512));
    }

    @Test
    void writeToReadOnlyDiskIsIoError() throws IOException {
        TestDriver d = blk(false, 2);
        byte[] before = Files.readAllBytes(dir.resolve("disk.img"));
        long buf = d.alloc(512);
        int[] r = request(d, VirtioBlk.T_OUT, 0, buf, 512, false);
        assertEquals(VirtioBlk.S_IOERR, r[0]);
        assertEquals(1, r[1]);
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("disk.img")));
        assertTrue(d.logged("read-only disk"));
        assertFalse(d.needsReset());
    }

    @Test
    void outOfRangeSectorsAreIoErrors() throws IOException {
        TestDriver d = blk(true, 2);
        long buf = d.alloc(1024);
        assertEquals(VirtioBlk.S_IOERR, request(d, VirtioBlk.T_IN, 15, buf, 1024, true)[0], "runs past the end");
        assertEquals(VirtioBlk.S_IOERR, request(d, VirtioBlk.T_IN, SECTORS, buf, 512, true)[0]);
        assertEquals(VirtioBlk.S_IOERR, request(d, VirtioBlk.T_IN, -1L, buf, 512, true)[0], "sector 2^64-1");
        assertEquals(VirtioBlk.S_IOERR, request(d, VirtioBlk.T_OUT, Long.MAX_VALUE, buf, 512, false)[0]);
        assertEquals(VirtioBlk.S_IOERR, request(d, VirtioBlk.T_IN, 0, buf, 100, true)[0], "not whole sectors");
        assertTrue(d.logged("beyond capacity"));
        assertFalse(d.needsReset());
        assertEquals(5, ((VirtioBlk) d.t.device()).errors());
    }

    @Test
    void getIdAndUnsupported() throws IOException {
        TestDriver d = blk(false, 2);
        long buf = d.alloc(20);
        int[] r = request(d, VirtioBlk.T_GET_ID, 0, buf, 20, true);
        assertEquals(VirtioBlk.S_OK, r[0]);
        assertEquals(21, r[1]);
        assertEquals("disk.img", new String(d.bytes(buf, 8)));
        assertEquals(0, d.bytes(buf + 8, 1)[0]);
        assertEquals(VirtioBlk.S_UNSUPP, request(d, 11, 0, 0, 0, false)[0]);
    }

    @Test
    void requestWithoutStatusByteBreaksTheDevice() throws IOException {
        TestDriver d = blk(false, 2);
        long h = d.alloc(16);
        d.put(h, header(VirtioBlk.T_IN, 0));
        d.q(0).post(new Buf(h, 16, false));
        d.q(0).notifyDevice();
        assertTrue(d.needsReset());
        assertTrue(d.logged("WRONG_DIRECTION"));
    }
}
