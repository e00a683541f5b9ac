package dev.wirelab.emulator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: whatever the bytes, decoding either succeeds or fails with the
 * package's own {@link ParseException} / a malformation list — never
 * IndexOutOfBounds, IllegalArgument, NullPointer and friends.
 */
class MalformedInputTest {
    private static final byte[] MASKS = {(byte) 0xff, 0x01, (byte) 0x80, 0x0f, (byte) 0xf0};

    /** Runs every decoder on {@code frame}; returns without throwing or fails the test. */
    static void decodeEverything(String what, byte[] frame) {
        try {
            Packet p = Packet.parse(frame);
            assertNotNull(p.toString());
            p.checksumMismatches();
            Packet q = Packet.parseIp(frame);
            assertNotNull(q.toString());
            for (Packet x : new Packet[] {p, q}) {
                if (x.tcp() != null) {
                    x.tcp().toString();
                    // parsed options must re-encode to the same option bytes
                    byte[] again = x.tcp().toBuilder().encode(x.ip().source(), x.ip().destination());
                    Bytes want = x.tcp().optionBytes();
                    Bytes got = Bytes.of(again).slice(20, want.length());
                    assertEquals(want.toHex(), got.toHex(), what + ": option round trip");
                    boolean optionProblem = x.malformations().stream().anyMatch(m -> m.layer().equals("tcp")
                            && m.field().equals("options"));
                    if (!optionProblem) {
                        // decoded options encode back to the same bytes (modulo zero padding)
                        byte[] viaList = TcpSegment.builder().options(x.tcp().options()).encode(x.ip().source(),
                                x.ip().destination());
                        Bytes area = Bytes.of(viaList).slice(20, ((viaList[12] & 0xff) >>> 4) * 4 - 20);
                        assertEquals(want.toHex(), area.toHex(), what + ": option list round trip");
                    }
                }
            }
            Bytes b = Bytes.of(frame);
            for (Layer l : Layer.values()) {
                try {
                    Object o = l.parse(b);
                    assertNotNull(o.toString());
                } catch (ParseException expected) {
                    assertNotNull(expected.getMessage());
                }
            }
        } catch (RuntimeException e) {
            AssertionError err = new AssertionError(what + " threw " + e + " on " + Bytes.of(frame).toHex(), e);
            throw err;
        }
    }

    enum Layer {
        ETH, ARP, IPV4, IPV6, TCP, UDP, ICMP;

        Object parse(Bytes b) throws ParseException {
            java.util.List<Malformation> sink = new java.util.ArrayList<>();
            return switch (this) {
                case ETH -> EthernetFrame.parse(b);
                case ARP -> ArpPacket.parse(b);
                case IPV4 -> Ipv4Packet.parse(b, sink);
                case IPV6 -> Ipv6Packet.parse(b, sink);
                case TCP -> TcpSegment.parse(b, sink);
                case UDP -> UdpDatagram.parse(b, sink);
                case ICMP -> Icmpv4Message.parse(b, sink);
            };
        }
    }

    @Test
    void everyTruncationOfEverySample() {
        for (Map.Entry<String, byte[]> e : Frames.all().entrySet()) {
            byte[] f = e.getValue();
            for (int n = 0; n <= f.length; n++) {
                decodeEverything(e.getKey() + " cut to " + n, Arrays.copyOf(f, n));
            }
        }
    }

    @Test
    void everyByteFlippedInEverySample() {
        for (Map.Entry<String, byte[]> e : Frames.all().entrySet()) {
            byte[] f = e.getValue();
            for (int i = 0; i < f.length; i++) {
                for (byte m : MASKS) {
                    byte[] g = f.clone();
                    g[i] ^= m;
                    decodeEverything(e.getKey() + " byte " + i + " ^ " + (m & 0xff), g);
                }
            }
        }
    }

    @Test
    void seededRandomMutations() {
        SplittableRandom r = new SplittableRandom(0x5eed);
        byte[][] samples = Frames.all().values().toArray(new byte[0][]);
        for (int i = 0; i < 20_000; i++) {
            byte[] f = samples[r.nextInt(samples.length)].clone();
            int edits = 1 + r.nextInt(6);
            for (int k = 0; k < edits; k++) {
                f[r.nextInt(f.length)] = (byte) r.nextInt(256);
            }
            if (r.nextBoolean()) {
                f = Arrays.copyOf(f, r.nextInt(f.length + 1));
            }
            decodeEverything("mutation " + i, f);
        }
        for (int i = 0; i < 5_000; i++) {
            byte[] f = new byte[r.nextInt(120)];
            for (int k = 0; k < f.length; k++) {
                f[k] = (byte) r.nextInt(256);
            }
            decodeEverything("random " + i, f);
        }
    }

    @Test
    void flippedSamplesAreReportedNotSilentlyAccepted() {
        // any single flip in the IPv4/TCP headers of a SYN is caught: by a checksum, or by a structural check
        byte[] f = Frames.all().get("tcp4 syn");
        for (int i = 14; i < f.length; i++) {
            byte[] g = f.clone();
            g[i] ^= 0x01;
            Packet p = Packet.parse(g);
            if (p.isWellFormed()) {
                fail("flip at " + i + " went unnoticed: " + p);
            }
        }
    }

    @Test
    void builderOverridesAllowNonsense() {
        byte[] f = Frames.eth(Frames.v4().ihl(3).totalLength(7).payload(Frames.syn().dataOffset(2)));
        Packet p = Packet.parse(f);
        assertEquals("ihl", p.malformations().getFirst().field());
        decodeEverything("nonsense", f);
    }
}
