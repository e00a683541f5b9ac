package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.net.TcpConnection;
import dev.wirelab.emulator.net.VirtualWire;

/**
 * The virtual wire's host side (10.0.2.2): a full host TCP for connections to
 * the guest, ARP/ICMP/DHCP responders. Waits go through {@link Lab#until} so
 * the budget and Ctrl-C apply.
 *
 * <pre>{@code
 * c = lab.net.connect(7)
 * lab.until { c.established }
 * c.send('hello'); lab.until { c.received() >= 5 }; c.readString()
 * }</pre>
 */
public final class Net {
    private final Lab lab;

    Net(Lab lab) {
        this.lab = lab;
    }

    public VirtualWire getWire() {
        lab.requireBoard();
        return lab.getWire();
    }

    /** Opens a host TCP connection to the guest's {@code port} (the SYN leaves at the next run). */
    public TcpConnection connect(int port) {
        return getWire().tcp().connect(Lab.GUEST_IP, port);
    }

    /** Runs until {@code c} is established; fails the script if it is not within {@code ticks}. */
    public TcpConnection established(TcpConnection c, long ticks) {
        lab.until(java.util.Map.of("condition", (java.util.function.BooleanSupplier) () -> c.isEstablished() || c.isClosed(),
                "within", ticks));
        lab.check(c.isEstablished(), "connection to port " + c.remotePort() + " not established: " + c.status()
                + (c.error() == null ? "" : " (" + c.error() + ")"));
        return c;
    }

    public VirtualWire.Stats getStats() {
        return getWire().stats();
    }

    @Override
    public String toString() {
        return "net: connect(port), established(conn, ticks), wire, stats";
    }
}
