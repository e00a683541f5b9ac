package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshottable;
import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.wire.EtherPayload;
import dev.wirelab.emulator.wire.EtherType;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.IpPayload;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;

/**
 * One Ethernet segment between the guest's NIC and host endpoints, addressed
 * like QEMU's user-mode network (slirp): network 10.0.2.0/24, the host (and
 * gateway) at 10.0.2.2 with MAC 52:55:0a:00:02:02, DNS at 10.0.2.3, the guest
 * at 10.0.2.15.
 *
 * <p>The wire is the guest NIC's one door: nothing else reads or feeds the
 * NIC. Frames from the guest arrive through {@link Board#attachNic} (inside
 * the emulation, at the exact instruction that queued them), pass the taps and
 * the loss model, are parsed with {@link Packet#parse}, offered to the
 * {@link Station}s (scripted peer, replayer, loopback) and otherwise dispatched
 * to the host side: {@link ArpResponder} (the one ARP table, for the host and
 * the stations), {@link IcmpEchoResponder}, {@link DhcpServer} and
 * {@link HostTcpEndpoint}.
 * Malformed guest frames are counted and logged to the board's guest log, never
 * thrown. Everything the host sends goes through one transmit queue: a frame
 * leaves at its virtual instant (now + {@link Config#latencyTicks()} unless
 * given) from a board event, and when the guest has no receive buffer posted it
 * is retried with a deterministic backoff in virtual time; the queue is bounded
 * and drops are counted.
 *
 * <p>Nothing here reads the host clock, starts a thread, or draws unseeded
 * randomness: the wire's behaviour is a function of the guest's frames and the
 * calls made on it. Its whole state (queues, leases, connections, timers) is a
 * value carried by board snapshots; create the wire before taking snapshots it
 * must be part of (a board cannot restore a snapshot taken before a
 * snapshottable was added).
 */
public final class VirtualWire {
    public static final Ipv4Address NETWORK = Ipv4Address.parse("10.0.2.0");
    public static final int PREFIX_LENGTH = 24;
    public static final Ipv4Address NETMASK = Ipv4Address.parse("255.255.255.0");
    public static final Ipv4Address HOST_IP = Ipv4Address.parse("10.0.2.2");
    public static final Ipv4Address DNS_IP = Ipv4Address.parse("10.0.2.3");
    public static final Ipv4Address GUEST_IP = Ipv4Address.parse("10.0.2.15");
    public static final MacAddress HOST_MAC = MacAddress.parse("52:55:0a:00:02:02");
    static final String LOG = "vwire";

    /**
     * How the wire behaves; everything that can change a run is here.
     *
     * @param latencyTicks   one-way delay of host frames (virtual ticks at 62.5 MHz)
     * @param txQueueLimit   host frames waiting for the guest at most; more are dropped and counted
     * @param retryTicks     first wait when the guest has no receive buffer; doubles per attempt
     * @param maxRetryTicks  cap of that wait
     * @param maxAttempts    attempts per frame before it is dropped and counted
     * @param seed           seeds the TCP initial sequence numbers and timestamps
     * @param tcp            host TCP behaviour
     */
    public record Config(long latencyTicks, int txQueueLimit, long retryTicks, long maxRetryTicks, int maxAttempts,
                         long seed, TcpConfig tcp) {
        public Config {
            if (latencyTicks < 0 || txQueueLimit < 1 || retryTicks < 1 || maxRetryTicks < retryTicks || maxAttempts < 1) {
                throw new IllegalArgumentException("bad wire config " + latencyTicks + "/" + txQueueLimit + "/" + retryTicks
                        + "/" + maxRetryTicks + "/" + maxAttempts);
            }
            Objects.requireNonNull(tcp, "tcp");
        }

        /** 10 µs latency, 4096 queued frames, retries from 10 µs doubling to 1 ms, 200 attempts, seed 1. */
        public static Config defaults() {
            return new Config(625, 4096, 625, 62_500, 200, 1, TcpConfig.defaults());
        }

        public Config withLatencyTicks(long v) {
            return new Config(v, txQueueLimit, retryTicks, maxRetryTicks, maxAttempts, seed, tcp);
        }

        public Config withSeed(long v) {
            return new Config(latencyTicks, txQueueLimit, retryTicks, maxRetryTicks, maxAttempts, v, tcp);
        }

        public Config withTcp(TcpConfig v) {
            return new Config(latencyTicks, txQueueLimit, retryTicks, maxRetryTicks, maxAttempts, seed, v);
        }

        public Config withTxQueueLimit(int v) {
            return new Config(latencyTicks, v, retryTicks, maxRetryTicks, maxAttempts, seed, tcp);
        }
    }

    /** Sees every frame on the wire: guest → host when the guest sends it, host → guest when the NIC takes it. */
    @FunctionalInterface
    public interface Tap {
        void frame(long nanos, Direction direction, byte[] frame);
    }

    /**
     * Decides whether the wire loses a frame (fault injection). It must be a function of
     * the frames alone (or of seeded state), or runs stop repeating. Host → guest frames are
     * lost before the NIC sees them; guest → host frames after the capture tap saw them.
     */
    @FunctionalInterface
    public interface LossModel {
        boolean drop(Direction direction, byte[] frame);

        LossModel NONE = (d, f) -> false;
    }

    /** Counters (cumulative since the wire was attached; part of snapshots). */
    public record Stats(long guestFrames, long malformedGuestFrames, long unhandledGuestFrames, long hostFrames,
                        long injected, long rxRetries, long droppedQueueFull, long droppedNoBuffer) {
        /** Host frames that never reached the guest. */
        public long dropped() {
            return droppedQueueFull + droppedNoBuffer;
        }

        Stats plusGuest(boolean malformed, boolean handled) {
            return new Stats(guestFrames + 1, malformedGuestFrames + (malformed ? 1 : 0),
                    unhandledGuestFrames + (handled ? 0 : 1), hostFrames, injected, rxRetries, droppedQueueFull, droppedNoBuffer);
        }
    }

    /** A host frame waiting for its instant (and for a guest receive buffer). */
    record Outgoing(long due, long order, byte[] frame, int attempts) implements Comparable<Outgoing> {
        @Override
        public int compareTo(Outgoing o) {
            int c = Long.compare(due, o.due);
            return c != 0 ? c : Long.compare(order, o.order);
        }
    }

    /** The wire's state as a value (snapshots). */
    record State(List<Outgoing> queue, long nextOrder, List<Long> wakeups, Stats stats, long lost, MacAddress guestMac,
                 ArpResponder.State arp, IcmpEchoResponder.State icmp, DhcpServer.State dhcp, HostTcpEndpoint.State tcp) {
    }

    private final Board board;
    private final Board.NicPort nicPort;
    private final Config config;
    private final ArpResponder arp;
    private final IcmpEchoResponder icmp;
    private final DhcpServer dhcp;
    private final HostTcpEndpoint tcp;
    private final PriorityQueue<Outgoing> queue = new PriorityQueue<>();
    private long nextOrder;
    /** Ticks at which a wake-up event is already on the board's queue. */
    private final TreeSet<Long> wakeups = new TreeSet<>();
    private final List<Tap> taps = new ArrayList<>();
    private final List<Station> stations = new ArrayList<>();
    private Stats stats = new Stats(0, 0, 0, 0, 0, 0, 0, 0);
    private MacAddress guestMac;
    private LossModel loss = LossModel.NONE;
    private long lost;

    private VirtualWire(Board board, Config config) {
        this.board = board;
        this.config = config;
        this.guestMac = MacAddress.of(board.nic().mac());
        this.arp = new ArpResponder(this);
        this.icmp = new IcmpEchoResponder(this);
        this.dhcp = new DhcpServer(this);
        this.tcp = new HostTcpEndpoint(this, config.tcp(), config.seed());
        this.nicPort = board.attachNic(this::fromGuest);
        board.addSnapshottable(Snapshottable.of(this::save, this::restore));
    }

    /** Joins {@code board}'s NIC to a new wire with default settings. */
    public static VirtualWire attach(Board board) {
        return attach(board, Config.defaults());
    }

    public static VirtualWire attach(Board board, Config config) {
        return new VirtualWire(Objects.requireNonNull(board, "board"), Objects.requireNonNull(config, "config"));
    }

    public Board board() {
        return board;
    }

    public Config config() {
        return config;
    }

    public ArpResponder arp() {
        return arp;
    }

    public IcmpEchoResponder icmp() {
        return icmp;
    }

    public DhcpServer dhcp() {
        return dhcp;
    }

    public HostTcpEndpoint tcp() {
        return tcp;
    }

    public Stats stats() {
        return stats;
    }

    /** The guest's MAC as last learned from its traffic (the NIC's address until then). */
    public MacAddress guestMac() {
        return guestMac;
    }

    /** Virtual time now, in counter ticks. */
    public long now() {
        return board.clock().ticks();
    }

    /** Host frames waiting to be delivered. */
    public int queued() {
        return queue.size();
    }

    /** Installs a loss model (configuration, not state: snapshots do not carry it). */
    public void lossModel(LossModel model) {
        this.loss = Objects.requireNonNull(model, "model");
    }

    /** Frames the loss model dropped, both directions. */
    public long lost() {
        return lost;
    }

    public void addTap(Tap tap) {
        taps.add(Objects.requireNonNull(tap, "tap"));
    }

    public void removeTap(Tap tap) {
        taps.remove(tap);
    }

    /**
     * Puts {@code station} on the wire: it is offered every guest frame before the host side, and
     * its addresses are answered in ARP. The newest station comes first (a replay started from a
     * script stands in for the scripted peer while it runs). Configuration, not state: snapshots
     * do not carry it.
     */
    public void addStation(Station station) {
        stations.addFirst(Objects.requireNonNull(station, "station"));
    }

    public void removeStation(Station station) {
        stations.remove(station);
    }

    /** The MAC a station answers ARP with for {@code address}, or null (the host's addresses are not stations'). */
    MacAddress stationMac(Ipv4Address address) {
        for (Station s : stations) {
            MacAddress m = s.arp(address);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    // ---- sending --------------------------------------------------------

    /**
     * Hands {@code frame} to the guest at virtual time {@code tick} exactly (or as
     * soon after as the guest has a receive buffer). A tick in the past means now.
     * The frame goes out as given: malformed frames are the point of this method.
     */
    public void injectAt(long tick, byte[] frame) {
        enqueue(Math.max(tick, now()), frame.clone());
    }

    /** {@link #injectAt} now (delivered at the next instruction boundary the board reaches). */
    public void inject(byte[] frame) {
        injectAt(now(), frame);
    }

    /** Sends an IPv4 packet from the host side to the guest after the wire's latency. */
    void sendIpv4(Ipv4Address source, Ipv4Address destination, IpPayload payload) {
        MacAddress dst = destination.equals(Ipv4Address.BROADCAST) ? MacAddress.BROADCAST : guestMac;
        sendEthernet(dst, Ipv4Packet.builder().source(source).destination(destination).payload(payload));
    }

    void sendEthernet(MacAddress destination, EtherPayload payload) {
        byte[] f = EthernetFrame.builder().source(HOST_MAC).destination(destination).payload(payload).encode();
        enqueue(now() + config.latencyTicks(), f);
    }

    private void enqueue(long due, byte[] frame) {
        if (loss.drop(Direction.INBOUND, frame)) {
            lost++;
            return;
        }
        stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                stats.hostFrames() + 1, stats.injected(), stats.rxRetries(), stats.droppedQueueFull(), stats.droppedNoBuffer());
        if (queue.size() >= config.txQueueLimit()) {
            stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                    stats.hostFrames(), stats.injected(), stats.rxRetries(), stats.droppedQueueFull() + 1, stats.droppedNoBuffer());
            log("transmit queue full (" + queue.size() + " frames): dropped a " + frame.length + "-byte frame");
            return;
        }
        queue.add(new Outgoing(due, nextOrder++, frame, 0));
        wakeAt(due);
    }

    /** Makes sure the wire runs at {@code tick} (one board event per distinct instant). */
    void wakeAt(long tick) {
        long t = Math.max(tick, now());
        if (wakeups.add(t)) {
            board.events().schedule(t, LOG, this::onWake);
        }
    }

    private void onWake(long tick) {
        wakeups.remove(tick);
        pump(tick);
        tcp.onTimers(tick);
    }

    /** Delivers every due frame the guest has room for; reschedules the rest. */
    private void pump(long tick) {
        while (!queue.isEmpty() && queue.peek().due() <= tick) {
            Outgoing o = queue.peek();
            if (board.nic().rxBuffersAvailable() > 0) {
                queue.poll();
                if (nicPort.deliver(o.frame())) {
                    stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                            stats.hostFrames(), stats.injected() + 1, stats.rxRetries(), stats.droppedQueueFull(),
                            stats.droppedNoBuffer());
                    tap(Direction.INBOUND, o.frame());
                } else {
                    // A buffer was there and the NIC still refused: the frame does not fit the guest's buffers.
                    stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                            stats.hostFrames(), stats.injected(), stats.rxRetries(), stats.droppedQueueFull(),
                            stats.droppedNoBuffer() + 1);
                    log("the NIC refused a " + o.frame().length + "-byte frame (larger than the guest's receive buffers?)");
                }
                continue;
            }
            queue.poll();
            if (o.attempts() + 1 >= config.maxAttempts()) {
                stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                        stats.hostFrames(), stats.injected(), stats.rxRetries(), stats.droppedQueueFull(),
                        stats.droppedNoBuffer() + 1);
                log("guest posted no receive buffer for " + config.maxAttempts() + " attempts: dropped a "
                        + o.frame().length + "-byte frame");
                continue;
            }
            stats = new Stats(stats.guestFrames(), stats.malformedGuestFrames(), stats.unhandledGuestFrames(),
                    stats.hostFrames(), stats.injected(), stats.rxRetries() + 1, stats.droppedQueueFull(),
                    stats.droppedNoBuffer());
            long wait = Math.min(config.maxRetryTicks(), config.retryTicks() << Math.min(o.attempts(), 20));
            // Keeps its order: everything behind it waits too (a wire does not reorder).
            queue.add(new Outgoing(tick + wait, o.order(), o.frame(), o.attempts() + 1));
            retime(tick + wait);
            break;
        }
        if (!queue.isEmpty()) {
            wakeAt(queue.peek().due());
        }
    }

    /** Frames queued behind a frame that waits for a buffer are due no earlier than it. */
    private void retime(long due) {
        List<Outgoing> all = new ArrayList<>(queue);
        queue.clear();
        for (Outgoing o : all) {
            queue.add(o.due() < due ? new Outgoing(due, o.order(), o.frame(), o.attempts()) : o);
        }
    }

    private void tap(Direction d, byte[] frame) {
        if (taps.isEmpty()) {
            return;
        }
        long nanos = board.clock().nanos();
        for (Tap t : List.copyOf(taps)) {
            t.frame(nanos, d, frame);
        }
    }

    // ---- receiving --------------------------------------------------------

    /** A frame the guest transmitted (the board calls this from inside the emulation; tests may call it between runs). */
    void fromGuest(byte[] frame) {
        tap(Direction.OUTBOUND, frame);
        if (loss.drop(Direction.OUTBOUND, frame)) {
            lost++;
            return;
        }
        Packet p = Packet.parse(frame);
        boolean malformed = !p.isWellFormed();
        boolean handled = false;
        if (malformed) {
            log("malformed guest frame (" + frame.length + " bytes): " + p);
        }
        try {
            handled = toStations(p, frame) || dispatch(p, malformed);
        } catch (RuntimeException e) {
            // A guest can send anything; no frame may break the wire.
            log("guest frame not handled (" + e + "): " + p);
        }
        stats = stats.plusGuest(malformed, handled);
    }

    private boolean toStations(Packet p, byte[] frame) {
        for (Station s : List.copyOf(stations)) {
            if (s.fromGuest(p, frame)) {
                return true;
            }
        }
        return false;
    }

    private boolean dispatch(Packet p, boolean malformed) {
        EthernetFrame eth = p.ethernet();
        if (eth == null) {
            return false;
        }
        if (!eth.destination().equals(HOST_MAC) && !eth.destination().isBroadcast()) {
            return false; // not for anyone on the host side (multicast, another station)
        }
        if (p.arp() != null) {
            return arp.onArp(eth, p.arp());
        }
        if (malformed || p.ipv4() == null || eth.etherType() != EtherType.IPV4) {
            return false; // bad checksums or truncation: a real host drops these too
        }
        Ipv4Packet ip = p.ipv4();
        if (ip.isFragment()) {
            log("guest sent an IPv4 fragment; the host side does not reassemble: " + p);
            return false;
        }
        if (p.udp() != null) {
            if (p.udp().destinationPort() == DhcpServer.SERVER_PORT) {
                return dhcp.onDhcp(eth, ip, p.udp());
            }
            return false;
        }
        if (!ip.source().equals(Ipv4Address.ANY)) {
            learn(eth.source());
        }
        if (p.icmp() != null) {
            return icmp.onIcmp(ip, p.icmp());
        }
        if (p.tcp() != null) {
            return tcp.onSegment(ip, p.tcp());
        }
        return false;
    }

    /** The guest's MAC as seen in traffic from it. */
    void learn(MacAddress mac) {
        if (!mac.isMulticast() && !mac.equals(MacAddress.ZERO) && !mac.equals(guestMac)) {
            log("guest MAC is now " + mac + " (was " + guestMac + ")");
            guestMac = mac;
        }
    }

    void log(String message) {
        board.guestLog().error(LOG, message);
    }

    // ---- running the board until something holds -------------------------

    /** The outcome of {@link #runUntil}. */
    public record Outcome(boolean satisfied, String description, long ticks, long instructions, String reason) {
        /** Throws {@link WireTimeoutException} unless the condition held. */
        public Outcome orThrow() {
            if (!satisfied) {
                throw new WireTimeoutException(this);
            }
            return this;
        }
    }

    /** Thrown when a wait's budget runs out (or the guest stops) before its condition held. */
    public static final class WireTimeoutException extends RuntimeException {
        private final Outcome outcome;

        public WireTimeoutException(Outcome o) {
            super("'" + o.description() + "' did not happen: " + o.reason() + " (virtual time " + o.ticks() + " ticks, "
                    + o.instructions() + " instructions)");
            this.outcome = o;
        }

        public Outcome outcome() {
            return outcome;
        }
    }

    /** Default wait budget: 10 s of virtual time, 2,000 M instructions. */
    public static final long DEFAULT_WAIT_TICKS = 10 * 62_500_000L;
    public static final long DEFAULT_WAIT_INSTRUCTIONS = 2_000_000_000L;

    /**
     * Runs the board until {@code condition} holds, at most {@code maxTicks} of virtual time
     * and {@code maxInstructions} instructions. The condition is checked after every
     * frame the guest sends and every wire event, and the board stops right there
     * (so where a wait ends is part of the deterministic run).
     */
    public Outcome runUntil(String description, BooleanSupplier condition, long maxTicks, long maxInstructions) {
        long start = now();
        if (condition.getAsBoolean()) {
            return new Outcome(true, description, start, board.clock().instructions(), "held already");
        }
        Stop stop = board.run(RunUntil.budget(maxInstructions).time(saturatingAdd(start, maxTicks)).when(description, condition));
        if (condition.getAsBoolean()) {
            return new Outcome(true, description, now(), board.clock().instructions(), "held");
        }
        String why = stop.cause() == StopCause.TIME_REACHED ? "virtual time budget of " + maxTicks + " ticks ran out"
                : stop.toString();
        return new Outcome(false, description, now(), board.clock().instructions(), why);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    /** {@link #runUntil} with the default budget; throws {@link WireTimeoutException} when it fails. */
    public Outcome await(String description, BooleanSupplier condition) {
        return runUntil(description, condition, DEFAULT_WAIT_TICKS, DEFAULT_WAIT_INSTRUCTIONS).orThrow();
    }

    /** Runs the board for {@code ticks} of virtual time (nothing to wait for: timers, retransmissions). */
    public void runFor(long ticks) {
        runUntil("run for " + ticks + " ticks", () -> false, ticks, Long.MAX_VALUE / 4);
    }

    // ---- snapshots ----------------------------------------------------------

    State save() {
        List<Outgoing> q = new ArrayList<>(queue);
        q.sort(null);
        return new State(List.copyOf(q), nextOrder, List.copyOf(wakeups), stats, lost, guestMac, arp.save(), icmp.save(),
                dhcp.save(), tcp.save());
    }

    void restore(State s) {
        if (!queue.isEmpty() || !s.queue().isEmpty()) { // usually both empty: nothing to rebuild
            queue.clear();
            queue.addAll(s.queue());
        }
        nextOrder = s.nextOrder();
        if (!wakeups.isEmpty() || !s.wakeups().isEmpty()) {
            wakeups.clear();
            wakeups.addAll(s.wakeups());
        }
        stats = s.stats();
        lost = s.lost();
        guestMac = s.guestMac();
        arp.restore(s.arp());
        icmp.restore(s.icmp());
        dhcp.restore(s.dhcp());
        tcp.restore(s.tcp());
    }
}
