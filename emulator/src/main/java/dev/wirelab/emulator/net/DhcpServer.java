package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Bytes;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.io.ByteArrayOutputStream;
import java.util.Map;
import java.util.TreeMap;

/**
 * A DHCP server for the virtual network (RFC 2131/2132), like slirp's: leases
 * from 10.0.2.15 upward, one per client MAC, mask /24, router 10.0.2.2, DNS
 * 10.0.2.3, server identifier 10.0.2.2. DISCOVER gets an OFFER, a REQUEST for
 * the client's lease an ACK (anything else a NAK), RELEASE frees the lease.
 * Replies echo the client's xid and go to the broadcast address, so a client
 * without an address takes them. Requests naming another server are ignored.
 * Nothing random: the same requests give the same replies.
 */
public final class DhcpServer {
    public static final int SERVER_PORT = 67;
    public static final int CLIENT_PORT = 68;
    public static final long LEASE_SECONDS = 86_400;
    static final int FIRST_HOST = 15;
    static final int LAST_HOST = 254;
    static final int MAGIC = 0x63825363;
    // Message types (RFC 2132 §9.6).
    public static final int DISCOVER = 1, OFFER = 2, REQUEST = 3, DECLINE = 4, ACK = 5, NAK = 6, RELEASE = 7, INFORM = 8;
    // Options.
    static final int OPT_PAD = 0, OPT_MASK = 1, OPT_ROUTER = 3, OPT_DNS = 6, OPT_REQUESTED_IP = 50, OPT_LEASE = 51,
            OPT_MSG_TYPE = 53, OPT_SERVER_ID = 54, OPT_END = 255;

    /** Leases by client MAC and what the server has done. */
    record State(Map<MacAddress, Ipv4Address> leases, Map<MacAddress, Boolean> bound, long offers, long acks, long naks,
                 long lastXid) {
        State {
            leases = Map.copyOf(leases);
            bound = Map.copyOf(bound);
        }
    }

    private final VirtualWire wire;
    private final TreeMap<MacAddress, Ipv4Address> leases = new TreeMap<>();
    private final TreeMap<MacAddress, Boolean> bound = new TreeMap<>();
    private long offers;
    private long acks;
    private long naks;
    private long lastXid = -1;

    DhcpServer(VirtualWire wire) {
        this.wire = wire;
    }

    /** A request as decoded from BOOTP bytes. */
    record Request(int type, long xid, int flags, Ipv4Address ciaddr, MacAddress chaddr, Ipv4Address requested,
                   Ipv4Address serverId) { }

    static Request decode(Bytes b) {
        if (b.length() < 240 || b.u8(0) != 1 || b.u8(1) != 1 || b.u8(2) != 6 || b.u32(236) != (MAGIC & 0xffff_ffffL)) {
            return null;
        }
        int type = -1;
        Ipv4Address requested = null;
        Ipv4Address server = null;
        int p = 240;
        while (p < b.length()) {
            int code = b.u8(p);
            if (code == OPT_END) {
                break;
            }
            if (code == OPT_PAD) {
                p++;
                continue;
            }
            if (p + 1 >= b.length()) {
                return null;
            }
            int len = b.u8(p + 1);
            if (p + 2 + len > b.length()) {
                return null;
            }
            if (code == OPT_MSG_TYPE && len == 1) {
                type = b.u8(p + 2);
            } else if (code == OPT_REQUESTED_IP && len == 4) {
                requested = ip(b, p + 2);
            } else if (code == OPT_SERVER_ID && len == 4) {
                server = ip(b, p + 2);
            }
            p += 2 + len;
        }
        if (type < 0) {
            return null;
        }
        return new Request(type, b.u32(4), b.u16(10), ip(b, 12), MacAddress.of(b.slice(28, 6).toArray()), requested, server);
    }

    private static Ipv4Address ip(Bytes b, int off) {
        return Ipv4Address.of(b.slice(off, 4).toArray());
    }

    boolean onDhcp(EthernetFrame eth, Ipv4Packet ip, UdpDatagram udp) {
        Request r = decode(udp.payload());
        if (r == null) {
            wire.log("malformed DHCP request from " + eth.source() + " (" + udp.payload().length() + " bytes)");
            return false;
        }
        if (r.serverId() != null && !r.serverId().equals(VirtualWire.HOST_IP)) {
            return true; // the client chose another server
        }
        lastXid = r.xid();
        switch (r.type()) {
            case DISCOVER -> {
                Ipv4Address a = leaseFor(r.chaddr());
                if (a == null) {
                    wire.log("DHCP pool exhausted; no offer for " + r.chaddr());
                    return true;
                }
                offers++;
                reply(OFFER, r, a);
            }
            case REQUEST -> {
                Ipv4Address want = r.requested() != null ? r.requested() : r.ciaddr();
                Ipv4Address a = leases.get(r.chaddr());
                if (a == null && want != null && isFree(want)) {
                    a = leaseFor(r.chaddr());
                }
                if (a != null && a.equals(want)) {
                    acks++;
                    bound.put(r.chaddr(), true);
                    reply(ACK, r, a);
                } else {
                    naks++;
                    reply(NAK, r, Ipv4Address.ANY);
                }
            }
            case RELEASE -> {
                leases.remove(r.chaddr());
                bound.remove(r.chaddr());
            }
            case DECLINE -> wire.log("DHCP client " + r.chaddr() + " declined " + r.requested());
            case INFORM -> {
                acks++;
                reply(ACK, r, Ipv4Address.ANY);
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean isFree(Ipv4Address a) {
        return !leases.containsValue(a) && inPool(a);
    }

    private static boolean inPool(Ipv4Address a) {
        int host = a.bits() & 0xff;
        return (a.bits() & 0xffffff00) == VirtualWire.NETWORK.bits() && host >= FIRST_HOST && host <= LAST_HOST;
    }

    private Ipv4Address leaseFor(MacAddress mac) {
        Ipv4Address a = leases.get(mac);
        if (a != null) {
            return a;
        }
        for (int h = FIRST_HOST; h <= LAST_HOST; h++) {
            Ipv4Address c = new Ipv4Address(VirtualWire.NETWORK.bits() | h);
            if (!leases.containsValue(c)) {
                leases.put(mac, c);
                return c;
            }
        }
        return null;
    }

    private void reply(int type, Request r, Ipv4Address yiaddr) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(300);
        o.write(2);                 // op BOOTREPLY
        o.write(1);                 // htype Ethernet
        o.write(6);                 // hlen
        o.write(0);                 // hops
        u32(o, r.xid());
        u16(o, 0);                  // secs
        u16(o, r.flags());
        o.writeBytes(new byte[4]);  // ciaddr
        o.writeBytes(yiaddr.toBytes());
        o.writeBytes((type == NAK ? Ipv4Address.ANY : VirtualWire.HOST_IP).toBytes()); // siaddr
        o.writeBytes(new byte[4]);  // giaddr
        byte[] ch = new byte[16];
        System.arraycopy(r.chaddr().toBytes(), 0, ch, 0, 6);
        o.writeBytes(ch);
        o.writeBytes(new byte[64 + 128]); // sname, file
        u32(o, MAGIC & 0xffff_ffffL);
        option(o, OPT_MSG_TYPE, new byte[] {(byte) type});
        option(o, OPT_SERVER_ID, VirtualWire.HOST_IP.toBytes());
        if (type != NAK) {
            option(o, OPT_MASK, VirtualWire.NETMASK.toBytes());
            option(o, OPT_ROUTER, VirtualWire.HOST_IP.toBytes());
            option(o, OPT_DNS, VirtualWire.DNS_IP.toBytes());
            if (r.type() != INFORM) {
                byte[] lease = new byte[4];
                for (int i = 0; i < 4; i++) {
                    lease[i] = (byte) (LEASE_SECONDS >>> (24 - 8 * i));
                }
                option(o, OPT_LEASE, lease);
            }
        }
        o.write(OPT_END);
        while (o.size() < 300) {
            o.write(0); // BOOTP minimum message size
        }
        wire.sendIpv4(VirtualWire.HOST_IP, Ipv4Address.BROADCAST,
                UdpDatagram.builder().ports(SERVER_PORT, CLIENT_PORT).payload(o.toByteArray()));
    }

    private static void option(ByteArrayOutputStream o, int code, byte[] value) {
        o.write(code);
        o.write(value.length);
        o.writeBytes(value);
    }

    private static void u32(ByteArrayOutputStream o, long v) {
        o.write((int) (v >>> 24));
        o.write((int) (v >>> 16));
        o.write((int) (v >>> 8));
        o.write((int) v);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    /** The address leased to {@code mac}, or null. */
    public Ipv4Address lease(MacAddress mac) {
        return leases.get(mac);
    }

    /** True once the server acknowledged {@code mac}'s request (the client is bound). */
    public boolean isBound(MacAddress mac) {
        return bound.containsKey(mac);
    }

    public long offers() {
        return offers;
    }

    public long acks() {
        return acks;
    }

    public long naks() {
        return naks;
    }

    /** The xid of the last request handled (-1 before any). */
    public long lastXid() {
        return lastXid;
    }

    State save() {
        return new State(leases, bound, offers, acks, naks, lastXid);
    }

    void restore(State s) {
        if (!leases.equals(s.leases())) { // usually unchanged: comparing allocates nothing
            leases.clear();
            leases.putAll(s.leases());
        }
        if (!bound.equals(s.bound())) {
            bound.clear();
            bound.putAll(s.bound());
        }
        offers = s.offers();
        acks = s.acks();
        naks = s.naks();
        lastXid = s.lastXid();
    }
}
