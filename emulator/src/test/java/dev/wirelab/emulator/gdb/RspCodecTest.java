package dev.wirelab.emulator.gdb;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RspCodecTest {
    private static List<RspInput> feed(RspCodec c, String s) {
        return c.feed(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void decodesAPacketAndItsChecksum() {
        List<RspInput> in = feed(new RspCodec(), "$qSupported:multiprocess+#c6");
        RspInput.Packet p = assertInstanceOf(RspInput.Packet.class, in.getFirst());
        assertEquals("qSupported:multiprocess+", p.text());
    }

    @Test
    void framesWhatItDecodes() {
        String payload = "m$#}*x";
        List<RspInput> in = new RspCodec().feed(RspCodec.frame(payload));
        assertEquals(payload, assertInstanceOf(RspInput.Packet.class, in.getFirst()).text());
        assertEquals("$OK#9a", new String(RspCodec.frame("OK"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void badChecksumIsReportedNotThrown() {
        List<RspInput> in = feed(new RspCodec(), "$g#00");
        RspInput.BadChecksum b = assertInstanceOf(RspInput.BadChecksum.class, in.getFirst());
        assertEquals('g', b.expected());
        assertEquals(0, b.received());
    }

    @Test
    void nonHexChecksumIsMalformed() {
        assertInstanceOf(RspInput.Malformed.class, feed(new RspCodec(), "$g#zz").getFirst());
    }

    @Test
    void runLengthExpands() {
        // "0* " = '0' then 32-29 = 3 more: "0000"
        String body = "0* ";
        int sum = 0;
        for (char ch : body.toCharArray()) {
            sum += ch;
        }
        String pkt = "$" + body + "#" + String.format("%02x", sum & 0xff);
        assertEquals("0000", assertInstanceOf(RspInput.Packet.class, feed(new RspCodec(), pkt).getFirst()).text());
    }

    @Test
    void runLengthWithoutAByteBeforeItIsMalformed() {
        String body = "* ";
        int sum = '*' + ' ';
        assertInstanceOf(RspInput.Malformed.class,
                feed(new RspCodec(), "$" + body + "#" + String.format("%02x", sum & 0xff)).getFirst());
    }

    @Test
    void oversizedPacketIsDroppedWholeAndMemoryStaysBounded() {
        RspCodec c = new RspCodec(64);
        String body = "x".repeat(10_000);
        List<RspInput> in = c.feed(RspCodec.frame(body));
        assertEquals(1, in.size());
        assertInstanceOf(RspInput.Malformed.class, in.getFirst());
        // the next packet decodes normally
        assertEquals("OK", assertInstanceOf(RspInput.Packet.class, c.feed(RspCodec.frame("OK")).getFirst()).text());
    }

    @Test
    void interruptAcksAndNoiseBetweenPackets() {
        List<RspInput> in = feed(new RspCodec(), "garbage+-\u0003\r\n$?#3f");
        assertInstanceOf(RspInput.Ack.class, in.get(0));
        assertInstanceOf(RspInput.Nack.class, in.get(1));
        assertInstanceOf(RspInput.Interrupt.class, in.get(2));
        assertEquals("?", assertInstanceOf(RspInput.Packet.class, in.get(3)).text());
    }

    @Test
    void packetSplitAcrossReadsAndCutShortByANewOne() {
        RspCodec c = new RspCodec();
        assertTrue(feed(c, "$qAtt").isEmpty());
        assertTrue(c.inPacket());
        List<RspInput> in = feed(c, "$?#3f");
        assertInstanceOf(RspInput.Malformed.class, in.get(0));
        assertEquals("?", assertInstanceOf(RspInput.Packet.class, in.get(1)).text());
        assertFalse(c.inPacket());
    }

    @Test
    void escapedBytesRoundTrip() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        List<RspInput> in = new RspCodec().feed(RspCodec.frame(all));
        assertArrayEquals(all, assertInstanceOf(RspInput.Packet.class, in.getFirst()).payload());
    }

    /** Seeded random streams (a fuzz target's inputs, replayed in every build): never an exception, bounded output. */
    @Test
    void randomStreamsNeverThrow() {
        Random r = new Random(0x6db);
        for (int round = 0; round < 2000; round++) {
            RspCodec c = new RspCodec(128);
            byte[] data = new byte[r.nextInt(600)];
            r.nextBytes(data);
            for (int i = 0; i < data.length; i++) {
                int k = r.nextInt(10);
                if (k == 0) {
                    data[i] = '$';
                } else if (k == 1) {
                    data[i] = '#';
                } else if (k == 2) {
                    data[i] = '}';
                } else if (k == 3) {
                    data[i] = '*';
                }
            }
            List<RspInput> out = new ArrayList<>(c.feed(data));
            for (RspInput i : out) {
                if (i instanceof RspInput.Packet p) {
                    assertTrue(p.payload().length <= 128, "payload beyond the limit");
                }
            }
        }
    }
}
