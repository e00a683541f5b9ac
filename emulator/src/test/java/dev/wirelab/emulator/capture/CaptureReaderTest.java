package dev.wirelab.emulator.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureReaderTest {
    static final byte[] IP = Ipv4Packet.builder().source("10.0.2.2").destination("10.0.2.15")
            .payload(TcpSegment.builder().ports(40000, 7).flags(TcpFlags.SYN).seq(1000)).encode();
    static final String SYN = "10.0.2.2:40000 > 10.0.2.15:7 [S] seq 1000 win 65535";
    static final byte[] ETH = ethernet(IP);

    static byte[] ethernet(byte[] ip) {
        byte[] f = new byte[14 + ip.length];
        f[12] = 0x08;
        System.arraycopy(ip, 0, f, 14, ip.length);
        return f;
    }

    @Test
    void writerOutputReadsBack() throws IOException {
        byte[] file;
        try (PcapngWriter w = PcapngWriter.inMemory()) {
            w.write(1_000_000_123L, ETH);
            w.write(0, 2_000_000_000_000_000_001L, ETH, 1514, Direction.OUTBOUND, "a comment");
            int raw = w.addInterface(LinkType.RAW, null);
            w.write(raw, 5, IP, IP.length, Direction.INBOUND, null);
            file = w.toByteArray();
        }
        CaptureReader.Capture c = CaptureReader.read(file);
        assertEquals(CaptureReader.Format.PCAPNG, c.format());
        assertEquals(List.of(), c.warnings());
        assertEquals(2, c.interfaces().size());
        assertEquals("wirelab0", c.interfaces().get(0).name());
        assertEquals(List.of(new CapturedFrame(1_000_000_123L, 0, 1, ETH, ETH.length),
                new CapturedFrame(2_000_000_000_000_000_001L, 0, 1, ETH, 1514),
                new CapturedFrame(5, 1, LinkType.RAW, IP, IP.length)), c.frames());
        assertTrue(c.frames().get(1).isTruncated());
        assertEquals(List.of(Direction.UNKNOWN, Direction.OUTBOUND, Direction.INBOUND), c.directions());
        assertEquals(SYN, Packet.parse(c.frames().get(2).ethernetEquivalent()).toString());
    }

    @Test
    void fileModeIsAtomic(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out.pcapng");
        PcapngWriter w = PcapngWriter.create(target);
        w.write(1, ETH);
        assertFalse(Files.exists(target), "nothing under the final name before close");
        assertTrue(Files.exists(dir.resolve(".out.pcapng.partial")));
        w.close();
        assertTrue(Files.exists(target));
        assertFalse(Files.exists(dir.resolve(".out.pcapng.partial")));
        assertEquals(1, CaptureReader.read(target).frames().size());

        PcapngWriter v = PcapngWriter.create(target);
        v.write(1, ETH);
        v.write(2, ETH);
        v.abort();
        assertEquals(1, CaptureReader.read(target).frames().size(), "abort leaves the old file");
        assertEquals(List.of(target), Files.list(dir).toList());
    }

    @Test
    void writerIsDeterministic() throws IOException {
        byte[][] runs = new byte[2][];
        for (int i = 0; i < 2; i++) {
            try (PcapngWriter w = PcapngWriter.inMemory()) {
                w.write(42, ETH, Direction.INBOUND);
                runs[i] = w.toByteArray();
            }
        }
        assertArrayEquals(runs[0], runs[1]);
    }

    @Test
    void classicPcapBothByteOrdersAndResolutions() throws IOException {
        for (ByteOrder o : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            byte[] us = new Blocks(o).pcapHeader(false, 1).pcapRecord(3, 999_999, ETH).pcapRecord(4, 0, ETH).bytes();
            CaptureReader.Capture c = CaptureReader.read(us);
            assertEquals(CaptureReader.Format.PCAP, c.format());
            assertEquals(3_999_999_000L, c.frames().get(0).timestampNanos(), o.toString());
            assertEquals(4_000_000_000L, c.frames().get(1).timestampNanos());
            assertArrayEquals(ETH, c.frames().get(0).data());

            byte[] ns = new Blocks(o).pcapHeader(true, LinkType.RAW).pcapRecord(3, 999_999_999, IP).bytes();
            CaptureReader.Capture d = CaptureReader.read(ns);
            assertEquals(3_999_999_999L, d.frames().getFirst().timestampNanos());
            assertEquals(SYN, Packet.parse(d.frames().getFirst().ethernetEquivalent()).toString());
        }
    }

    @Test
    void outOfRangeMicrosecondsAreCarriedWithAWarning() throws IOException {
        byte[] f = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(false, 1).pcapRecord(1, 1_500_000, ETH)
                .pcapRecord(2, 2_000_000, ETH).bytes();
        CaptureReader.Capture c = CaptureReader.read(f);
        assertEquals(2_500_000_000L, c.frames().get(0).timestampNanos());
        assertEquals(4_000_000_000L, c.frames().get(1).timestampNanos());
        assertEquals(1, c.warnings().size());
        assertTrue(c.warnings().getFirst().contains("fraction of second 1500000 out of range"), c.warnings().toString());
        assertEquals(SYN, c.frames().getFirst().decode().toString());
    }

    @Test
    void cookedAndRawLinkTypesConvertToEthernet() throws IOException {
        byte[] sll = new byte[16 + IP.length];
        sll[1] = 4; // outgoing
        sll[3] = 1; // ARPHRD_ETHER
        sll[5] = 6;
        byte[] mac = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
        System.arraycopy(mac, 0, sll, 6, 6);
        sll[14] = 0x08;
        System.arraycopy(IP, 0, sll, 16, IP.length);
        byte[] sll2 = new byte[20 + IP.length];
        sll2[0] = 0x08;
        sll2[9] = 1;
        sll2[11] = 6;
        System.arraycopy(mac, 0, sll2, 12, 6);
        System.arraycopy(IP, 0, sll2, 20, IP.length);
        for (int[] lt : new int[][] {{LinkType.LINUX_SLL}, {LinkType.LINUX_SLL2}, {LinkType.IPV4}, {LinkType.RAW}}) {
            byte[] data = lt[0] == LinkType.LINUX_SLL ? sll : lt[0] == LinkType.LINUX_SLL2 ? sll2 : IP;
            byte[] file = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(false, lt[0]).pcapRecord(1, 2, data).bytes();
            CapturedFrame f = CaptureReader.read(file).frames().getFirst();
            assertEquals(lt[0], f.linkType());
            Packet p = Packet.parse(f.ethernetEquivalent());
            assertEquals(SYN, p.toString(), LinkType.describe(lt[0]));
            if (lt[0] == LinkType.LINUX_SLL || lt[0] == LinkType.LINUX_SLL2) {
                assertEquals("52:54:00:12:34:56", p.ethernet().source().toString());
            }
        }
        CaptureFormatException e = assertThrows(CaptureFormatException.class,
                () -> new CapturedFrame(0, 0, LinkType.LINUX_SLL, Arrays.copyOf(sll, 10), 10).ethernetEquivalent());
        assertEquals("LINUX_SLL header needs 16 bytes, packet has 10", e.getMessage());
    }

    @Test
    void pcapngBigEndianSectionsResolutionsSpbAndUnknownBlocks() throws IOException {
        byte[] file = new Blocks(ByteOrder.BIG_ENDIAN).shb().idb(1, -1).block(0x0bad, new byte[] {1, 2, 3})
                .epb(0, 5_000_001, ETH).spb(ETH).bytes();
        byte[] second = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(LinkType.RAW, 0x80 | 20).idb(1, 3)
                .epb(1, 1234, ETH).epb(0, 3L << 20 | 1L << 19, IP).bytes();
        byte[] both = new byte[file.length + second.length + 5];
        System.arraycopy(file, 0, both, 0, file.length);
        System.arraycopy(second, 0, both, file.length, second.length);
        CaptureReader.Capture c = CaptureReader.read(both);
        assertEquals(4, c.frames().size());
        assertEquals(new CapturedFrame(5_000_001_000L, 0, 1, ETH, ETH.length), c.frames().get(0));
        assertEquals(new CapturedFrame(0, 0, 1, ETH, ETH.length), c.frames().get(1), "SPB: interface 0, no timestamp");
        assertEquals(new CapturedFrame(1_234_000_000L, 2, 1, ETH, ETH.length), c.frames().get(2), "ms resolution, 2nd section");
        assertEquals(new CapturedFrame(3_500_000_000L, 1, LinkType.RAW, IP, IP.length), c.frames().get(3), "2^-20 s");
        assertEquals(List.of("trailing 5 bytes at offset " + (both.length - 5)
                + " ignored (too short for a block header)"), c.warnings());
    }

    @Test
    void interfaceNameAndTimestampOffset() throws IOException {
        for (ByteOrder o : List.of(ByteOrder.BIG_ENDIAN, ByteOrder.LITTLE_ENDIAN)) {
            byte[] f = new Blocks(o).shb().idb(1, "eth7", 3, 1_700_000_000L).epb(0, 250, ETH).bytes();
            CaptureReader.Capture c = CaptureReader.read(f);
            assertEquals("eth7", c.interfaces().getFirst().name());
            assertEquals(1_700_000_000L, c.interfaces().getFirst().tsOffsetSeconds());
            assertEquals(1_700_000_000_250_000_000L, c.frames().getFirst().timestampNanos());
        }
        byte[] huge = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 0).epb(0, -1L, ETH).bytes();
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.read(huge));
        assertTrue(e.getMessage().contains("does not fit in 64-bit nanoseconds"), e.getMessage());
    }

    @Test
    void errorsSayWhatAndWhere() {
        byte[] good = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(1, 9).epb(0, 1, ETH).bytes();
        int epbAt = 28 + 32;
        byte[] cut = Arrays.copyOf(good, epbAt + 40);
        CaptureFormatException e = assertThrows(CaptureFormatException.class, () -> CaptureReader.read(cut));
        int epbLen = 32 + ((ETH.length + 3) & ~3);
        assertEquals("truncated Enhanced Packet Block at offset " + epbAt + ": block length " + epbLen
                + " but only 40 bytes remain", e.getMessage());
        assertEquals(epbAt, e.offset());

        CaptureReader.Capture lenient = assertDoesNotThrowRead(cut);
        assertEquals(0, lenient.frames().size());
        assertTrue(lenient.warnings().getFirst().startsWith("stopped reading: truncated Enhanced Packet Block"));

        byte[] usb = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().idb(189, -1).epb(0, 1, ETH).bytes();
        CaptureFormatException u = assertThrows(CaptureFormatException.class, () -> CaptureReader.read(usb));
        assertTrue(u.getMessage().contains("unsupported link type USB_LINUX (189)"), u.getMessage());

        byte[] noIdb = new Blocks(ByteOrder.LITTLE_ENDIAN).shb().epb(3, 1, ETH).bytes();
        assertEquals("Enhanced Packet Block at offset 28: interface 3 is not described in this section (0 interfaces)",
                assertThrows(CaptureFormatException.class, () -> CaptureReader.read(noIdb)).getMessage());

        byte[] pcapCut = Arrays.copyOf(new Blocks(ByteOrder.BIG_ENDIAN).pcapHeader(false, 1).pcapRecord(1, 1, ETH).bytes(), 50);
        assertEquals("truncated pcap record at offset 24: captured length " + ETH.length + " but only 10 bytes remain",
                assertThrows(CaptureFormatException.class, () -> CaptureReader.read(pcapCut)).getMessage());
        assertEquals("not a pcap or pcapng file: first 4 bytes 0x7f454c46",
                assertThrows(CaptureFormatException.class, () -> CaptureReader.read(new byte[] {0x7f, 'E', 'L', 'F', 2}))
                        .getMessage());
    }

    private static CaptureReader.Capture assertDoesNotThrowRead(byte[] b) {
        try {
            return CaptureReader.read(b, CaptureReader.Mode.LENIENT);
        } catch (CaptureFormatException e) {
            throw new AssertionError(e);
        }
    }

    /** Property: truncating or corrupting a capture yields frames or a CaptureFormatException, nothing else. */
    @Test
    void everyTruncationAndFlipOfCaptures() throws IOException {
        byte[] ng;
        try (PcapngWriter w = PcapngWriter.inMemory()) {
            w.write(7, ETH, Direction.INBOUND);
            w.write(0, 9, ETH, 100, Direction.OUTBOUND, "x");
            ng = w.toByteArray();
        }
        byte[] be = new Blocks(ByteOrder.BIG_ENDIAN).shb().idb(1, 0x85).epb(0, 1, ETH).spb(IP).bytes();
        byte[] pcap = new Blocks(ByteOrder.LITTLE_ENDIAN).pcapHeader(true, 113).pcapRecord(1, 2, ETH).pcapRecord(3, 4, IP).bytes();
        SplittableRandom r = new SplittableRandom(6);
        for (byte[] file : List.of(ng, be, pcap)) {
            for (int n = 0; n <= file.length; n++) {
                tryRead(Arrays.copyOf(file, n));
            }
            for (int i = 0; i < file.length; i++) {
                for (int m : new int[] {0xff, 0x01, 0x80, 0x40}) {
                    byte[] g = file.clone();
                    g[i] ^= (byte) m;
                    tryRead(g);
                }
            }
            for (int i = 0; i < 3000; i++) {
                byte[] g = file.clone();
                for (int k = 0; k < 4; k++) {
                    g[r.nextInt(g.length)] = (byte) r.nextInt(256);
                }
                tryRead(r.nextBoolean() ? g : Arrays.copyOf(g, r.nextInt(g.length + 1)));
            }
        }
    }

    private static void tryRead(byte[] b) {
        for (CaptureReader.Mode mode : CaptureReader.Mode.values()) {
            try {
                CaptureReader.Capture c = CaptureReader.read(b, mode);
                for (CapturedFrame f : c.frames()) {
                    try {
                        Packet.parse(f.ethernetEquivalent()).toString();
                    } catch (CaptureFormatException expected) {
                        // not convertible: fine
                    }
                }
            } catch (CaptureFormatException expected) {
                assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
            } catch (RuntimeException e) {
                throw new AssertionError(mode + " read threw " + e + " on " + java.util.HexFormat.of().formatHex(b), e);
            }
        }
    }
}
