package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/** Splits an IPv4 packet into fragments (RFC 791 §3.2), for tests and fuzzing of reassembly. */
public final class Ipv4Fragments {
    private Ipv4Fragments() {
    }

    /**
     * Fragments {@code packet} so that no fragment exceeds {@code mtu} bytes. Options
     * are copied into the first fragment only (wirelab does not honour the "copied"
     * bit). A packet that already fits is returned as its single "fragment".
     */
    public static List<Ipv4Packet> split(Ipv4Packet packet, int mtu) {
        int hl = packet.headerLength();
        int plainHl = Ipv4Packet.MIN_HEADER;
        if (mtu < hl + 8) {
            throw new IllegalArgumentException("MTU " + mtu + " leaves no room for 8 bytes of data after a " + hl + "-byte header");
        }
        Bytes data = packet.payload();
        if (hl + data.length() <= mtu) {
            return List.of(packet);
        }
        List<Ipv4Packet> out = new ArrayList<>();
        int pos = 0;
        int baseOffset = packet.fragmentByteOffset();
        while (pos < data.length()) {
            int h = pos == 0 ? hl : plainHl;
            int room = (mtu - h) & ~7;
            int n = Math.min(room, data.length() - pos);
            boolean last = pos + n == data.length();
            Ipv4Packet.Builder b = Ipv4Packet.builder().source(packet.source()).destination(packet.destination())
                    .dscp(packet.dscp()).ecn(packet.ecn()).identification(packet.identification())
                    .reservedFlag(packet.reservedFlag()).dontFragment(packet.dontFragment())
                    .moreFragments(!last || packet.moreFragments()).fragmentOffset((baseOffset + pos) / 8)
                    .ttl(packet.ttl()).protocol(packet.protocol()).payload(data.slice(pos, n).toArray());
            if (pos == 0) {
                b.options(packet.optionBytes().toArray());
            }
            out.add(b.build());
            pos += n;
        }
        return out;
    }
}
