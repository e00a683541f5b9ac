package dev.wirelab.emulator.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class Ipv4ReassemblerTest {
    static Ipv4Packet big() {
        byte[] payload = new byte[3000];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (i * 7);
        }
        return Frames.v4().dontFragment(false).payload(TcpSegment.builder().ports(1, 2).flags("P.").payload(payload)).build();
    }

    @Test
    void outOfOrderFragmentsReassembleToTheOriginal() {
        Ipv4Packet orig = big();
        List<Ipv4Packet> frags = new ArrayList<>(Ipv4Fragments.split(orig, 576));
        assertEquals(6, frags.size());
        for (Ipv4Packet f : frags) {
            assertTrue(f.totalLength() <= 576);
            assertTrue(f.checksumOk());
        }
        java.util.Collections.reverse(frags);
        Ipv4Reassembler r = new Ipv4Reassembler();
        Ipv4Reassembler.Outcome last = null;
        for (int i = 0; i < frags.size(); i++) {
            last = r.offer(frags.get(i), i);
            if (i < frags.size() - 1) {
                assertInstanceOf(Ipv4Reassembler.Pending.class, last);
            }
            if (i == 1) {
                // a duplicate changes nothing
                assertInstanceOf(Ipv4Reassembler.Pending.class, r.offer(frags.get(i), i));
            }
        }
        Ipv4Packet whole = assertInstanceOf(Ipv4Reassembler.Complete.class, last).packet();
        assertEquals(orig.payload(), whole.payload());
        assertEquals(orig.totalLength(), whole.totalLength());
        assertTrue(whole.checksumOk());
        Packet p = Packet.parse(Frames.eth(new RawIp(whole)));
        assertTrue(p.isWellFormed(), p.malformations().toString());
        assertEquals(0, r.pending());
    }

    @Test
    void anyOrderAnyMtuWithDuplicatesReassembles() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(815);
        Ipv4Packet orig = big();
        for (int round = 0; round < 300; round++) {
            int mtu = 28 + r.nextInt(1500);
            List<Ipv4Packet> frags = new ArrayList<>(Ipv4Fragments.split(orig, mtu));
            int dups = r.nextInt(3);
            for (int d = 0; d < dups; d++) {
                frags.add(frags.get(r.nextInt(frags.size())));
            }
            for (int i = frags.size() - 1; i > 0; i--) { // seeded Fisher-Yates
                java.util.Collections.swap(frags, i, r.nextInt(i + 1));
            }
            Ipv4Reassembler re = new Ipv4Reassembler();
            Ipv4Packet whole = null;
            for (Ipv4Packet f : frags) {
                Ipv4Reassembler.Outcome o = re.offer(f, 0);
                assertTrue(!(o instanceof Ipv4Reassembler.Dropped), o.toString());
                if (o instanceof Ipv4Reassembler.Complete c) {
                    whole = c.packet();
                    break;
                }
            }
            assertEquals(orig.payload(), whole.payload(), "mtu " + mtu);
        }
    }

    @Test
    void overlappingDifferentBytesDropTheDatagram() {
        List<Ipv4Packet> frags = Ipv4Fragments.split(big(), 1500);
        Ipv4Packet a = frags.get(0);
        byte[] evil = a.payload().toArray();
        evil[100] ^= 1;
        Ipv4Packet b = Ipv4Packet.builder().source(a.source()).destination(a.destination()).identification(a.identification())
                .protocol(a.protocol()).moreFragments(true).fragmentOffset(8).payload(java.util.Arrays.copyOfRange(evil, 64, 200))
                .build();
        Ipv4Reassembler r = new Ipv4Reassembler();
        r.offer(a, 0);
        Ipv4Reassembler.Dropped d = assertInstanceOf(Ipv4Reassembler.Dropped.class, r.offer(b, 1));
        assertTrue(d.reason().contains("overlaps earlier data with different bytes at offset 100"), d.reason());
    }

    @Test
    void timeoutAndCapacity() {
        List<Ipv4Packet> frags = Ipv4Fragments.split(big(), 1500);
        Ipv4Reassembler r = new Ipv4Reassembler(1000, 1);
        r.offer(frags.get(0), 0);
        r.offer(frags.get(1), 2000);
        assertEquals(List.of("timed out: datagram 10.0.2.2 > 10.0.2.15 proto 6 id 4660 with 1480 bytes"), r.drainExpired());
        Ipv4Packet other = Ipv4Fragments.split(Frames.v4().identification(9).payload(new byte[100]).protocol(17).build(), 60)
                .getFirst();
        r.offer(other, 2001);
        assertEquals(1, r.pending());
        assertTrue(r.drainExpired().getFirst().startsWith("evicted: "));
    }

    @Test
    void oversizedDatagramIsDropped() {
        Ipv4Packet f = Frames.v4().moreFragments(false).fragmentOffset(8190).protocol(17).payload(new byte[100]).build();
        assertInstanceOf(Ipv4Reassembler.Dropped.class, new Ipv4Reassembler().offer(f, 0));
    }

    /** Wraps an already-built IPv4 packet as an Ethernet payload. */
    record RawIp(Ipv4Packet p) implements EtherPayload {
        public int etherType() {
            return EtherType.IPV4;
        }

        public byte[] encode() {
            return Bytes.of(Ipv4Packet.builder().source(p.source()).destination(p.destination()).protocol(p.protocol())
                    .identification(p.identification()).payload(p.payload().toArray()).encode()).toArray();
        }
    }
}
