package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.IpAddress;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's TCP: connections to the guest ({@link #connect}) and listening
 * ports for connections the guest opens ({@link #listen}), demultiplexed by
 * (host port, guest address, guest port). Segments for no connection get a RST,
 * as from a real host. Initial sequence numbers and timestamp bases come from
 * the wire's seed and a per-connection counter (splitmix64), so a run repeats.
 *
 * <pre>{@code
 * TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
 * c.send("hello");
 * c.awaitReceived(5);
 * byte[] echoed = c.read();
 * c.close();
 * c.awaitClosed();
 * }</pre>
 */
public final class HostTcpEndpoint {
    record Key(int localPort, Ipv4Address remote, int remotePort) { }

    record State(Map<Long, TcpSocket> live, Map<Integer, TcpListener.State> listeners, long nextId, int nextPort,
                 long resets, long segments) {
        State {
            live = Map.copyOf(live);
            listeners = Map.copyOf(listeners);
        }
    }

    private final VirtualWire wire;
    private final TcpConfig cfg;
    private final long seed;
    private final HashMap<Key, TcpConnection> live = new HashMap<>();
    /** Live connections in creation order: timers run in this order, so runs repeat. */
    private final TreeMap<Long, TcpConnection> liveById = new TreeMap<>();
    /** Every connection object handed out (for restore: the same objects come back to life). */
    private final TreeMap<Long, TcpConnection> all = new TreeMap<>();
    private final TreeMap<Integer, TcpListener> listeners = new TreeMap<>();
    private long nextId;
    private int nextPort;
    private long resets;
    private long segments;

    HostTcpEndpoint(VirtualWire wire, TcpConfig cfg, long seed) {
        this.wire = wire;
        this.cfg = cfg;
        this.seed = seed;
        this.nextPort = cfg.firstEphemeralPort();
    }

    VirtualWire wire() {
        return wire;
    }

    long now() {
        return wire.now();
    }

    public TcpConfig config() {
        return cfg;
    }

    /** Opens a connection from 10.0.2.2 to {@code address}:{@code port}: the SYN leaves now (after the wire's latency). */
    public TcpConnection connect(Ipv4Address address, int port) {
        return connect(address, port, cfg);
    }

    public TcpConnection connect(String address, int port) {
        return connect(Ipv4Address.parse(address), port);
    }

    /** {@link #connect} with other TCP options for this connection only. */
    public TcpConnection connect(Ipv4Address address, int port, TcpConfig options) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        int local = allocatePort(address, port);
        long id = nextId++;
        TcpConnection c = new TcpConnection(this, id, VirtualWire.HOST_IP, address,
                TcpSocket.connect(options, local, port, isn(id), mix(seed, id, 2) & 0xffff_ffffL));
        register(c);
        c.transmit(now());
        return c;
    }

    /** Accepts connections the guest opens to port {@code port} of the host (10.0.2.2) or DNS (10.0.2.3) address. */
    public TcpListener listen(int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port " + port);
        }
        TcpListener l = listeners.get(port);
        if (l != null && l.isOpen()) {
            throw new IllegalStateException("port " + port + " is already listening");
        }
        l = new TcpListener(this, port);
        listeners.put(port, l);
        return l;
    }

    void unlisten(TcpListener l) {
        listeners.remove(l.port(), l);
    }

    /** Connections that have not ended, oldest first. */
    public List<TcpConnection> connections() {
        return List.copyOf(liveById.values());
    }

    /** RSTs sent for segments that belonged to no connection. */
    public long resetsSent() {
        return resets;
    }

    private int allocatePort(Ipv4Address remote, int remotePort) {
        int span = 65536 - cfg.firstEphemeralPort();
        for (int i = 0; i < span; i++) {
            int p = nextPort;
            nextPort = nextPort == 65535 ? cfg.firstEphemeralPort() : nextPort + 1;
            if (!live.containsKey(new Key(p, remote, remotePort)) && !listeners.containsKey(p)) {
                return p;
            }
        }
        throw new IllegalStateException("no free host port for " + remote + ":" + remotePort);
    }

    private SeqNumber isn(long id) {
        return SeqNumber.of(mix(seed, id, 1));
    }

    /** splitmix64 of (seed, id, salt): deterministic, well spread. */
    static long mix(long seed, long id, long salt) {
        long z = seed + 0x9e3779b97f4a7c15L * (id * 4 + salt + 1);
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private void register(TcpConnection c) {
        live.put(key(c), c);
        liveById.put(c.id(), c);
        all.put(c.id(), c);
    }

    private static Key key(TcpConnection c) {
        return new Key(c.localPort(), c.remoteAddress(), c.remotePort());
    }

    // ---- from the wire -----------------------------------------------------------

    boolean onSegment(Ipv4Packet ip, TcpSegment s) {
        if (!(ip.destination() instanceof Ipv4Address dst) || !ArpResponder.isHostAddress(dst)
                || !(ip.source() instanceof Ipv4Address src)) {
            return false;
        }
        segments++;
        long now = now();
        TcpConnection c = live.get(new Key(s.destinationPort(), src, s.sourcePort()));
        if (c != null) {
            c.input(s, now);
            return true;
        }
        TcpListener l = listeners.get(s.destinationPort());
        if (l != null && l.isOpen() && s.syn() && !s.isAck() && !s.rst()) {
            long id = nextId++;
            TcpConnection n = new TcpConnection(this, id, dst, src,
                    TcpSocket.accept(cfg, s, isn(id), mix(seed, id, 2) & 0xffff_ffffL));
            register(n);
            n.transmit(now);
            return true;
        }
        if (!s.rst()) {
            reset(dst, src, s);
        }
        return true;
    }

    /** RFC 9293 §3.10.7.1: the answer to a segment for a connection that does not exist. */
    private void reset(IpAddress local, Ipv4Address remote, TcpSegment s) {
        resets++;
        TcpSegment.Builder b = TcpSegment.builder().ports(s.destinationPort(), s.sourcePort()).window(0);
        if (s.isAck()) {
            b.seq(s.ack()).flags(TcpFlags.RST);
        } else {
            b.seq(SeqNumber.ZERO).ack(s.seq().plus(s.sequenceLength())).flags(TcpFlags.RST | TcpFlags.ACK);
        }
        wire.sendIpv4((Ipv4Address) local, remote, b);
    }

    void onTimers(long now) {
        for (TcpConnection c : new ArrayList<>(liveById.values())) {
            c.onTimers(now);
        }
    }

    void established(TcpConnection c) {
        TcpListener l = listeners.get(c.localPort());
        if (l != null && l.isOpen()) {
            l.established(c);
        }
    }

    void closed(TcpConnection c) {
        live.remove(key(c), c);
        liveById.remove(c.id(), c);
    }

    // ---- snapshots ---------------------------------------------------------------

    State save() {
        Map<Long, TcpSocket> conns = new HashMap<>();
        for (TcpConnection c : liveById.values()) {
            conns.put(c.id(), c.save());
        }
        Map<Integer, TcpListener.State> ls = new HashMap<>();
        for (TcpListener l : listeners.values()) {
            ls.put(l.port(), l.save());
        }
        return new State(conns, ls, nextId, nextPort, resets, segments);
    }

    void restore(State s) {
        live.clear();
        liveById.clear();
        for (var it = all.values().iterator(); it.hasNext(); ) {
            TcpConnection c = it.next();
            TcpSocket cs = s.live().get(c.id());
            if (cs != null) {
                c.restore(cs);
                register(c); // replaces c by itself in all: no structural change under the iterator
            } else if (c.id() >= s.nextId()) {
                c.detach();
                it.remove();
            }
        }
        for (var it = listeners.values().iterator(); it.hasNext(); ) {
            TcpListener l = it.next();
            if (!s.listeners().containsKey(l.port())) {
                l.detach();
                it.remove();
            }
        }
        for (TcpListener.State ls : s.listeners().values()) {
            TcpListener l = listeners.computeIfAbsent(ls.port(), p -> new TcpListener(this, p));
            l.restore(ls, all::get);
        }
        nextId = s.nextId();
        nextPort = s.nextPort();
        resets = s.resets();
        segments = s.segments();
    }
}
