package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.ArpPacket;
import dev.wirelab.emulator.wire.EtherType;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;

import java.util.Map;
import java.util.TreeMap;

/**
 * ARP on the virtual wire (RFC 826), as slirp does it: answers who-has for the
 * host/gateway (10.0.2.2) and DNS (10.0.2.3) addresses with the host MAC and for
 * the addresses of the wire's {@link Station}s with theirs (the one ARP table of
 * the wire), learns
 * the guest's MAC and address from every ARP packet it sends, and lets the host
 * ask the guest ({@link #resolve}).
 *
 * <p>Gratuitous ARP (sender address = target address): the guest announcing
 * its own address is learned and not answered (a reply would mean a conflict);
 * a guest claiming one of the host's addresses gets a broadcast reply that
 * defends it (RFC 5227 §2.4), and the conflict is logged.
 */
public final class ArpResponder {
    /** ARP state: what the host knows about stations on the guest side. */
    record State(Map<Ipv4Address, MacAddress> table, long requests, long replies, long conflicts) {
        State {
            table = Map.copyOf(table);
        }
    }

    private final VirtualWire wire;
    private final TreeMap<Ipv4Address, MacAddress> table = new TreeMap<>();
    private long requests;
    private long replies;
    private long conflicts;

    ArpResponder(VirtualWire wire) {
        this.wire = wire;
    }

    /** True for the addresses the host side owns. */
    public static boolean isHostAddress(Ipv4Address a) {
        return a.equals(VirtualWire.HOST_IP) || a.equals(VirtualWire.DNS_IP);
    }

    boolean onArp(EthernetFrame eth, ArpPacket a) {
        if (a.hardwareType() != 1 || a.protocolType() != EtherType.IPV4) {
            return false;
        }
        Ipv4Address sender = a.senderProtocol();
        boolean gratuitous = sender.equals(a.targetProtocol());
        if (isHostAddress(sender)) {
            if (!a.senderHardware().equals(VirtualWire.HOST_MAC)) {
                conflicts++;
                wire.log("guest (" + a.senderHardware() + ") claims host address " + sender + "; defending it");
                wire.sendEthernet(MacAddress.BROADCAST,
                        ArpPacket.reply(VirtualWire.HOST_MAC, sender, MacAddress.BROADCAST, sender).asPayload());
            }
            return true;
        }
        if (!sender.equals(Ipv4Address.ANY) && !a.senderHardware().isMulticast()) {
            table.put(sender, a.senderHardware());
            wire.learn(a.senderHardware());
        }
        MacAddress station = a.operation() == ArpPacket.REQUEST && !gratuitous ? wire.stationMac(a.targetProtocol()) : null;
        if (station != null && !isHostAddress(a.targetProtocol())) {
            // A station on the wire: it answers at once from its own MAC (it is not behind the host's link).
            wire.injectAt(wire.now(), EthernetFrame.builder().source(station).destination(a.senderHardware())
                    .payload(ArpPacket.reply(station, a.targetProtocol(), a.senderHardware(), sender).asPayload()).encode());
            return true;
        }
        if (a.operation() == ArpPacket.REQUEST && !gratuitous && isHostAddress(a.targetProtocol())) {
            requests++;
            // An ARP probe (sender 0.0.0.0) is answered to the prober's MAC; the reply names it as target.
            wire.sendEthernet(a.senderHardware(),
                    ArpPacket.reply(VirtualWire.HOST_MAC, a.targetProtocol(), a.senderHardware(), sender).asPayload());
            return true;
        }
        if (a.operation() == ArpPacket.REPLY) {
            replies++;
        }
        return true;
    }

    /** Sends "who-has {@code address} tell 10.0.2.2" to the guest side; the answer lands in {@link #lookup}. */
    public void resolve(Ipv4Address address) {
        wire.sendEthernet(MacAddress.BROADCAST,
                ArpPacket.request(VirtualWire.HOST_MAC, VirtualWire.HOST_IP, address).asPayload());
    }

    public void resolve(String address) {
        resolve(Ipv4Address.parse(address));
    }

    /** The MAC learned for {@code address}, or null. */
    public MacAddress lookup(Ipv4Address address) {
        return table.get(address);
    }

    public MacAddress lookup(String address) {
        return lookup(Ipv4Address.parse(address));
    }

    /** Who-has requests for host addresses the guest made (and the host answered). */
    public long requestsAnswered() {
        return requests;
    }

    public long repliesSeen() {
        return replies;
    }

    public long conflicts() {
        return conflicts;
    }

    State save() {
        return new State(table, requests, replies, conflicts);
    }

    void restore(State s) {
        if (!table.equals(s.table())) { // usually unchanged: comparing allocates nothing
            table.clear();
            table.putAll(s.table());
        }
        requests = s.requests();
        replies = s.replies();
        conflicts = s.conflicts();
    }
}
