package dev.wirelab.emulator.wire;

/** An ARP packet for IPv4 over Ethernet (RFC 826): hardware type 1, protocol 0x0800, sizes 6 and 4. */
public record ArpPacket(int hardwareType, int protocolType, int operation, MacAddress senderHardware,
        Ipv4Address senderProtocol, MacAddress targetHardware, Ipv4Address targetProtocol) {
    static final String LAYER = "arp";
    public static final int LENGTH = 28;
    public static final int REQUEST = 1;
    public static final int REPLY = 2;

    public static ArpPacket parse(Bytes data) throws ParseException {
        int base = data.origin();
        if (data.length() < 8) {
            throw ParseException.of(LAYER, "header", base, "ARP needs 8 header bytes, got " + data.length());
        }
        int hlen = data.u8(4);
        int plen = data.u8(5);
        if (hlen != 6) {
            throw ParseException.of(LAYER, "hlen", base + 4, "hardware address length " + hlen + ", only 6 (Ethernet) is supported");
        }
        if (plen != 4) {
            throw ParseException.of(LAYER, "plen", base + 5, "protocol address length " + plen + ", only 4 (IPv4) is supported");
        }
        if (data.length() < LENGTH) {
            throw ParseException.of(LAYER, "addresses", base + 8, "ARP needs 28 bytes, got " + data.length());
        }
        return new ArpPacket(data.u16(0), data.u16(2), data.u16(6), MacAddress.read(data, 8), Ipv4Address.read(data, 14),
                MacAddress.read(data, 18), Ipv4Address.read(data, 24));
    }

    public static ArpPacket request(MacAddress senderMac, Ipv4Address senderIp, Ipv4Address targetIp) {
        return new ArpPacket(1, EtherType.IPV4, REQUEST, senderMac, senderIp, MacAddress.ZERO, targetIp);
    }

    public static ArpPacket reply(MacAddress senderMac, Ipv4Address senderIp, MacAddress targetMac, Ipv4Address targetIp) {
        return new ArpPacket(1, EtherType.IPV4, REPLY, senderMac, senderIp, targetMac, targetIp);
    }

    /** This packet as an {@link EtherPayload} for {@link EthernetFrame.Builder#payload(EtherPayload)}. */
    public EtherPayload asPayload() {
        return new EtherPayload() {
            @Override
            public int etherType() {
                return EtherType.ARP;
            }

            @Override
            public byte[] encode() {
                return ArpPacket.this.encode();
            }
        };
    }

    public byte[] encode() {
        byte[] a = new byte[LENGTH];
        Put.u16(a, 0, hardwareType);
        Put.u16(a, 2, protocolType);
        a[4] = 6;
        a[5] = 4;
        Put.u16(a, 6, operation);
        senderHardware.write(a, 8);
        senderProtocol.write(a, 14);
        targetHardware.write(a, 18);
        targetProtocol.write(a, 24);
        return a;
    }

    @Override
    public String toString() {
        return switch (operation) {
            case REQUEST -> "ARP, Request who-has " + targetProtocol + " tell " + senderProtocol;
            case REPLY -> "ARP, Reply " + senderProtocol + " is-at " + senderHardware;
            default -> "ARP, op " + operation + " " + senderProtocol + " > " + targetProtocol;
        };
    }
}
