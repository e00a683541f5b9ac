package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Board;

import java.util.Arrays;

/**
 * Hands the guest back the frames it sends to itself, so that one guest can
 * be both ends of a TCP connection when its stack has no loopback interface
 * (the default guest: lwIP without LWIP_NETIF_LOOPBACK sends traffic for its
 * own address onto the wire). Reflected: frames to the guest's own MAC, and
 * ARP requests for the guest's own address (sender IP = target IP). Each is
 * injected from an event at the instant it was sent. Everything else goes by.
 */
public final class SelfLoopback {
    static final int ETHERTYPE_ARP = 0x0806;

    private final Board board;
    private final byte[] mac;
    private boolean enabled = true;
    private long reflected;

    private SelfLoopback(Board board) {
        this.board = board;
        this.mac = board.nic().mac();
    }

    /** Listens on {@code board}'s wire from now on. */
    public static SelfLoopback install(Board board) {
        SelfLoopback s = new SelfLoopback(board);
        board.onGuestFrame(s::onFrame);
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
        byte[] copy = frame.clone();
        // Not from inside the device callback: a board event injects it at this same instant.
        board.events().schedule(board.clock().ticks(), "self-loopback", t -> board.injectFrame(copy));
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
