package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.net.Station;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;

import java.util.Arrays;

/**
 * Hands the guest back the frames it sends to itself, so that one guest can
 * be both ends of a TCP connection when its stack has no loopback interface
 * (the default guest: lwIP without LWIP_NETIF_LOOPBACK sends traffic for its
 * own address onto the wire). Reflected: frames to the guest's own MAC, and
 * ARP requests for the guest's own address (sender IP = target IP). A station
 * on the {@link VirtualWire}: each frame goes back through the wire's queue at
 * the instant it was sent, so taps and captures see it. Everything else goes by.
 */
public final class SelfLoopback {
    static final int ETHERTYPE_ARP = 0x0806;

    private final VirtualWire wire;
    private final byte[] mac;
    private boolean enabled = true;
    private long reflected;

    private SelfLoopback(VirtualWire wire) {
        this.wire = wire;
        this.mac = wire.board().nic().mac();
    }

    /** Puts the loopback on {@code wire} from now on. */
    public static SelfLoopback install(VirtualWire wire) {
        SelfLoopback s = new SelfLoopback(wire);
        wire.addStation(new Station() {
            @Override
            public MacAddress arp(Ipv4Address address) {
                return null; // the guest answers for its own address: its request is reflected to it
            }

            @Override
            public boolean fromGuest(Packet packet, byte[] frame) {
                s.onFrame(frame);
                return false; // the host side still learns from the guest's ARP
            }
        });
        return s;
    }

    public void enabled(boolean on) {
        enabled = on;
    }

    public long reflected() {
        return reflected;
    }

    private void onFrame(byte[] frame) {
        if (!enabled || !selfAddressed(frame, mac)) {
            return;
        }
        reflected++;
        wire.inject(frame); // queued: delivered from a wire event at this same instant
    }

    static boolean selfAddressed(byte[] f, byte[] mac) {
        if (f.length < 14) {
            return false;
        }
        if (Arrays.equals(f, 0, 6, mac, 0, 6)) {
            return true;
        }
        int type = (f[12] & 0xff) << 8 | (f[13] & 0xff);
        // ARP over Ethernet/IPv4: op at 20, sender IP at 28, target IP at 38.
        return type == ETHERTYPE_ARP && f.length >= 42 && f[20] == 0 && f[21] == 1
                && Arrays.equals(f, 28, 32, f, 38, 42) && Arrays.equals(f, 6, 12, mac, 0, 6);
    }
}
