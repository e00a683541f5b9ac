package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One host TCP connection to the guest (RFC 9293): handshake with the options
 * {@link TcpConfig} asks for, a sliding window bounded only by the guest's
 * advertised window (no congestion control), reassembly of out-of-order data,
 * an ACK for every burst, retransmission (go-back-N) on a virtual-time RTO with
 * exponential backoff (RFC 6298 estimator, Karn's rule), zero-window probes,
 * FIN/RST handling and TIME-WAIT.
 *
 * <p>State is kept in stream offsets ({@code long}, never wrapping): the send
 * side counts SYN as offset -1, data from 0, FIN at the end; the receive side
 * counts the guest's data from 0. Sequence numbers appear only at the edge,
 * converted with {@link SeqNumber} and an explicit signed distance, and all
 * encoding is left to {@code wire/} builders.
 *
 * <p>Methods are called between board runs (or from wire events); none blocks.
 * The {@code await…} helpers run the board until something holds.
 */
public final class TcpConnection {
    public enum Status { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSING, TIME_WAIT, CLOSE_WAIT,
        LAST_ACK, CLOSED }

    /** Counters of one connection. */
    public record Stats(long segmentsOut, long segmentsIn, long retransmits, long timeouts, long dupAcksSeen,
                        long outOfOrderSegments, long bytesAcked) { }

    /** The connection's whole state as a value (snapshots). */
    record State(Status status, String error, int iss, long una, long nxt, long max, long end, boolean finRequested,
                 long sndWnd, int sndScale, int rcvScale, int peerMss, boolean sackOk, boolean tsOk, long tsRecent,
                 long tsBase, byte[] sendQ, int irs, long rcvOff, boolean peerFin, long peerFinOff, byte[] recvQ,
                 Map<Long, byte[]> ooo, long rto, long srtt, long rttvar, int retries, long rtoDeadline,
                 long timeWaitDeadline, long timedOff, long timedTick, int dupAcks, boolean ackPending, long wl1, long wl2,
                 boolean wscaleOffered, Stats stats) {
        State {
            ooo = Map.copyOf(ooo);
        }
    }

    private final HostTcpEndpoint endpoint;
    private final long id;
    private final Ipv4Address localIp;
    private final int localPort;
    private final Ipv4Address remoteIp;
    private final int remotePort;
    private final TcpConfig cfg;
    private boolean detached;

    private Status status;
    private String error;
    // Send side: offsets -1 (SYN) .. end (FIN); sequence of offset o is iss + 1 + o.
    private SeqNumber iss;
    private long una = -1;
    private long nxt = -1;
    private long max = -1;
    private long end;
    private boolean finRequested;
    private long sndWnd;
    private int sndScale;
    private int rcvScale;
    private int peerMss = 536;
    private boolean sackOk;
    private boolean tsOk;
    private long tsRecent;
    private long tsBase;
    private ByteQueue sendQ = new ByteQueue(); // data from max(una, 0) to end
    // Receive side: offset o of the guest's data is irs + 1 + o.
    private SeqNumber irs = SeqNumber.ZERO;
    private long rcvOff;
    private boolean peerFin;
    private long peerFinOff = -1;
    private ByteQueue recvQ = new ByteQueue();
    private final TreeMap<Long, byte[]> ooo = new TreeMap<>();
    // Timers (virtual ticks; -1 = not armed).
    private long rto;
    private long srtt = -1;
    private long rttvar;
    private int retries;
    private long rtoDeadline = -1;
    private long timeWaitDeadline = -1;
    private long timedOff = -1;
    private long timedTick = -1;
    private int dupAcks;
    private boolean ackPending;
    private long wl1 = Long.MIN_VALUE;
    private long wl2 = Long.MIN_VALUE;
    private Stats stats = new Stats(0, 0, 0, 0, 0, 0, 0);

    TcpConnection(HostTcpEndpoint endpoint, long id, Ipv4Address localIp, int localPort, Ipv4Address remoteIp, int remotePort,
                  TcpConfig cfg, SeqNumber iss, long tsBase, Status initial) {
        this.endpoint = endpoint;
        this.id = id;
        this.localIp = localIp;
        this.localPort = localPort;
        this.remoteIp = remoteIp;
        this.remotePort = remotePort;
        this.cfg = cfg;
        this.iss = iss;
        this.tsBase = tsBase;
        this.status = initial;
        this.rto = cfg.initialRtoTicks();
        this.rcvScale = Math.max(cfg.windowScale(), 0);
    }

    // ---- public API -----------------------------------------------------------

    public long id() {
        return id;
    }

    public int localPort() {
        return localPort;
    }

    public Ipv4Address localAddress() {
        return localIp;
    }

    public int remotePort() {
        return remotePort;
    }

    public Ipv4Address remoteAddress() {
        return remoteIp;
    }

    public Status status() {
        return status;
    }

    /** Why the connection ended abnormally ("connection refused", "connection reset by peer", "timed out"), or null. */
    public String error() {
        return error;
    }

    public boolean isEstablished() {
        return status == Status.ESTABLISHED || status == Status.CLOSE_WAIT;
    }

    /** The connection has ended (both sides closed, reset, refused or timed out): nothing more will happen on it. */
    public boolean isClosed() {
        return status == Status.CLOSED || status == Status.TIME_WAIT;
    }

    /** The guest sent FIN (and all data before it arrived). */
    public boolean peerClosed() {
        return peerFin;
    }

    /** Bytes received in order so far (read or not). */
    public long received() {
        return rcvOff;
    }

    /** Received bytes not yet {@link #read}. */
    public int available() {
        return recvQ.length();
    }

    /** Takes every received byte not read yet. */
    public byte[] read() {
        return recvQ.takeAll();
    }

    public String readString() {
        return new String(read(), StandardCharsets.ISO_8859_1);
    }

    /** Bytes written with {@link #send} and acknowledged by the guest. */
    public long acked() {
        return Math.max(0, Math.min(una, end));
    }

    /** Bytes written with {@link #send} so far. */
    public long written() {
        return end;
    }

    /** Everything written (and the FIN, if closed) has been acknowledged. */
    public boolean allAcked() {
        return una >= end + (finRequested ? 1 : 0);
    }

    public Stats stats() {
        return stats;
    }

    /** The guest's advertised window in bytes (scaled), as last seen. */
    public long peerWindow() {
        return sndWnd;
    }

    /** Options in use on this connection: "mss=N wscale=S/R sack ts". */
    public String options() {
        return "mss=" + peerMss + " wscale=" + sndScale + "/" + rcvScale + (sackOk ? " sack" : "") + (tsOk ? " ts" : "");
    }

    /** Queues {@code data} for sending; it goes out as the guest's window allows. */
    public TcpConnection send(byte[] data) {
        checkAttached();
        if (finRequested) {
            throw new IllegalStateException("send after close on " + this);
        }
        if (status == Status.CLOSED) {
            throw new IllegalStateException("send on a closed connection " + this + (error == null ? "" : ": " + error));
        }
        sendQ.append(data);
        end += data.length;
        output(endpoint.now());
        return this;
    }

    public TcpConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Orderly close: FIN after the queued data. */
    public void close() {
        checkAttached();
        switch (status) {
            case SYN_SENT -> enterClosed(null);
            case SYN_RECEIVED, ESTABLISHED -> {
                finRequested = true;
                status = Status.FIN_WAIT_1;
            }
            case CLOSE_WAIT -> {
                finRequested = true;
                status = Status.LAST_ACK;
            }
            default -> {
                return;
            }
        }
        output(endpoint.now());
    }

    /** Abortive close: RST now, connection gone. */
    public void abort() {
        checkAttached();
        if (status != Status.CLOSED && status != Status.SYN_SENT && status != Status.TIME_WAIT) {
            emit(TcpFlags.RST | TcpFlags.ACK, seqOf(nxt), null, false);
        }
        enterClosed(status == Status.CLOSED ? error : "aborted by the host");
    }

    /** Runs the board until the handshake completes; throws when it fails or the budget runs out. */
    public TcpConnection awaitEstablished() {
        endpoint.wire().await("connection " + this + " established", () -> isEstablished() || status == Status.CLOSED);
        if (!isEstablished()) {
            throw new IllegalStateException("connection " + this + " failed: " + (error == null ? status : error));
        }
        return this;
    }

    /** Runs the board until {@code n} bytes have been received in total. */
    public TcpConnection awaitReceived(long n) {
        endpoint.wire().await(n + " bytes received on " + this, () -> rcvOff >= n || peerFin || status == Status.CLOSED);
        if (rcvOff < n) {
            throw new IllegalStateException("connection " + this + " ended after " + rcvOff + " of " + n + " bytes: "
                    + (error == null ? status : error));
        }
        return this;
    }

    /** Runs the board until the guest has closed its side (FIN) or the connection ended. */
    public TcpConnection awaitPeerClosed() {
        endpoint.wire().await("peer FIN on " + this, () -> peerFin || status == Status.CLOSED);
        return this;
    }

    /** Runs the board until the connection has ended ({@link #isClosed}). */
    public TcpConnection awaitClosed() {
        endpoint.wire().await(this + " closed", this::isClosed);
        return this;
    }

    @Override
    public String toString() {
        return localIp + ":" + localPort + "<->" + remoteIp + ":" + remotePort + " " + status;
    }

    // ---- sequence numbers at the edge ----------------------------------------------

    private SeqNumber seqOf(long sendOffset) {
        return iss.plus(1 + sendOffset);
    }

    /** rcv.nxt: the guest's next expected sequence number (its FIN included once received). */
    private SeqNumber rcvNxt() {
        return irs.plus(1 + rcvOff + (peerFin ? 1 : 0));
    }

    /** Offset on the send side of an acknowledgement number, relative to what is acknowledged already. */
    private long ackOffset(SeqNumber ack) {
        return una + seqOf(una).signedDistanceTo(ack);
    }

    // ---- output ---------------------------------------------------------------

    private int advertisedWindow(boolean syn) {
        long w = cfg.receiveWindow();
        return (int) Math.min(65535, syn ? w : w >> rcvScale);
    }

    private int payloadMss() {
        return Math.max(1, Math.min(peerMss, cfg.mss()) - (tsOk ? 12 : 0));
    }

    /** Sends what the window allows, then an ACK if one is owed and nothing carried it. */
    void output(long now) {
        if (detached || status == Status.CLOSED) {
            return;
        }
        boolean sent = false;
        if (una < 0) {
            if (nxt < 0) {
                sendSyn(now);
                sent = true;
            }
        } else if (status != Status.TIME_WAIT) {
            while (true) {
                long unsent = end - nxt;
                if (unsent > 0) {
                    long room = una + sndWnd - nxt;
                    if (room <= 0) {
                        break;
                    }
                    int n = (int) Math.min(Math.min(unsent, room), payloadMss());
                    boolean fin = finRequested && nxt + n == end;
                    sendData(now, nxt, n, fin);
                    nxt += n + (fin ? 1 : 0);
                    sent = true;
                } else if (finRequested && nxt == end) {
                    sendData(now, nxt, 0, true);
                    nxt = end + 1;
                    sent = true;
                } else {
                    break;
                }
            }
        }
        max = Math.max(max, nxt);
        if (sent) {
            ackPending = false;
            if (rtoDeadline < 0) {
                armRto(now);
            }
        } else if (una >= 0 && end > nxt && nxt == una && rtoDeadline < 0) {
            armRto(now); // zero window with data waiting: the persist timer
        }
        if (ackPending) {
            ackPending = false;
            emit(TcpFlags.ACK, seqOf(nxt), null, false);
        }
    }

    private void sendSyn(long now) {
        int flags = status == Status.SYN_SENT ? TcpFlags.SYN : TcpFlags.SYN | TcpFlags.ACK;
        emit(flags, iss, null, true);
        nxt = 0;
        if (timedTick < 0) {
            timedOff = 0;
            timedTick = now;
        }
    }

    private void sendData(long now, long from, int n, boolean fin) {
        byte[] payload = n == 0 ? null : sendQ.copy(from - Math.max(una, 0), n);
        int flags = TcpFlags.ACK | (n > 0 && from + n == end ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
        emit(flags, seqOf(from), payload, false);
        long to = from + n + (fin ? 1 : 0);
        if (to > max && timedTick < 0) {
            timedOff = to;
            timedTick = now;
        }
    }

    private void armRto(long now) {
        rtoDeadline = now + rto;
        endpoint.wire().wakeAt(rtoDeadline);
    }

    /** Builds and sends one segment; SYN segments carry the handshake options. */
    private void emit(int flags, SeqNumber seq, byte[] payload, boolean syn) {
        TcpSegment.Builder b = TcpSegment.builder().ports(localPort, remotePort).seq(seq).flags(flags)
                .window(advertisedWindow(syn));
        if ((flags & TcpFlags.ACK) != 0) {
            b.ack(rcvNxt());
        }
        List<TcpOption> opts = new ArrayList<>(6);
        boolean active = status == Status.SYN_SENT;
        if (syn) {
            opts.add(TcpOption.mss(cfg.mss()));
            if (cfg.windowScale() >= 0 && (active || wscaleOffered)) {
                opts.add(TcpOption.nop());
                opts.add(TcpOption.windowScale(cfg.windowScale()));
            }
            if (cfg.sackPermitted() && (active || sackOk)) {
                opts.add(TcpOption.nop());
                opts.add(TcpOption.nop());
                opts.add(TcpOption.sackPermitted());
            }
        }
        if (syn ? cfg.timestamps() && (active || tsOk) : tsOk) {
            opts.add(TcpOption.nop());
            opts.add(TcpOption.nop());
            opts.add(TcpOption.timestamps(tsVal(), (flags & TcpFlags.ACK) != 0 ? tsRecent : 0));
        }
        if (!syn && sackOk && !ooo.isEmpty() && (flags & (TcpFlags.RST | TcpFlags.SYN)) == 0) {
            List<TcpOption.SackBlock> blocks = sackBlocks(tsOk ? 3 : 4);
            opts.add(TcpOption.nop());
            opts.add(TcpOption.nop());
            opts.add(TcpOption.sack(blocks.toArray(TcpOption.SackBlock[]::new)));
        }
        b.options(opts);
        if (payload != null) {
            b.payload(payload);
        }
        stats = new Stats(stats.segmentsOut() + 1, stats.segmentsIn(), stats.retransmits(), stats.timeouts(),
                stats.dupAcksSeen(), stats.outOfOrderSegments(), stats.bytesAcked());
        endpoint.wire().sendIpv4(localIp, remoteIp, b);
    }

    private boolean wscaleOffered;

    private long tsVal() {
        return (tsBase + endpoint.now() / TcpConfig.TICKS_PER_MS) & 0xffff_ffffL;
    }

    /** Out-of-order data as SACK blocks (merged ranges, lowest first). */
    private List<TcpOption.SackBlock> sackBlocks(int limit) {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        long start = -1;
        long stop = -1;
        for (Map.Entry<Long, byte[]> e : ooo.entrySet()) {
            long s = e.getKey();
            long t = s + e.getValue().length;
            if (start >= 0 && s <= stop) {
                stop = Math.max(stop, t);
                continue;
            }
            if (start >= 0) {
                blocks.add(new TcpOption.SackBlock(irs.plus(1 + start), irs.plus(1 + stop)));
            }
            start = s;
            stop = t;
        }
        if (start >= 0) {
            blocks.add(new TcpOption.SackBlock(irs.plus(1 + start), irs.plus(1 + stop)));
        }
        return blocks.size() > limit ? blocks.subList(0, limit) : blocks;
    }

    // ---- input -------------------------------------------------------------------

    /** A segment from the guest for this connection. */
    void input(TcpSegment s, long now) {
        if (detached || status == Status.CLOSED) {
            return;
        }
        stats = new Stats(stats.segmentsOut(), stats.segmentsIn() + 1, stats.retransmits(), stats.timeouts(),
                stats.dupAcksSeen(), stats.outOfOrderSegments(), stats.bytesAcked());
        if (status == Status.SYN_SENT) {
            inputSynSent(s, now);
            return;
        }
        if (status == Status.SYN_RECEIVED && s.syn() && !s.isAck() && !s.rst() && s.seq().equals(irs)) {
            nxt = -1; // the guest did not get our SYN-ACK: send it again
            output(now);
            return;
        }
        // Acceptability (RFC 9293 §3.10.7.4), in offsets relative to rcv.nxt.
        long segOff = rcvOff + (peerFin ? 1 : 0) + rcvNxt().signedDistanceTo(s.seq());
        int len = s.payload().length();
        long wnd = cfg.receiveWindow();
        long top = rcvOff + (peerFin ? 1 : 0);
        boolean acceptable = len == 0 && !s.fin()
                ? segOff >= top && segOff <= top + wnd
                : segOff + len + (s.fin() ? 1 : 0) > top && segOff < top + wnd;
        if (!acceptable) {
            if (!s.rst()) {
                ackPending = true; // duplicate or outside the window: tell the guest where we are
                output(now);
            }
            return;
        }
        if (s.rst()) {
            enterClosed(status == Status.SYN_RECEIVED ? "connection refused" : "connection reset by peer");
            return;
        }
        if (s.syn()) {
            ackPending = true; // challenge ACK (RFC 5961 §4)
            output(now);
            return;
        }
        if (!s.isAck()) {
            return;
        }
        long a = ackOffset(s.ack());
        if (status == Status.SYN_RECEIVED) {
            if (a <= una || a > max) {
                emit(TcpFlags.RST, s.ack(), null, false);
                return;
            }
            status = Status.ESTABLISHED;
            endpoint.established(this);
        }
        long window = (long) s.window() << sndScale;
        if (a > max) {
            ackPending = true; // acknowledges something never sent
            output(now);
            return;
        }
        if (a > una) {
            acknowledge(a, now);
        } else if (a == una && len == 0 && !s.fin() && window == sndWnd && max > una) {
            dupAcks++;
            stats = new Stats(stats.segmentsOut(), stats.segmentsIn(), stats.retransmits(), stats.timeouts(),
                    stats.dupAcksSeen() + 1, stats.outOfOrderSegments(), stats.bytesAcked());
            if (dupAcks == 3) {
                retransmit(now, false); // fast retransmit
            }
        }
        if (wl1 < segOff || wl1 == segOff && wl2 <= a) {
            if (sndWnd == 0 && window > 0 && nxt > una) {
                nxt = una; // the window reopened: resend the probed byte with what follows
            }
            sndWnd = window;
            wl1 = segOff;
            wl2 = a;
        }
        if (tsOk) {
            TcpOption.Timestamps ts = s.option(TcpOption.Timestamps.class);
            if (ts != null && segOff <= top) {
                tsRecent = ts.tsVal();
            }
        }
        if (len > 0) {
            if (status == Status.ESTABLISHED || status == Status.FIN_WAIT_1 || status == Status.FIN_WAIT_2) {
                receiveData(segOff, s.payload().toArray());
            }
        }
        if (s.fin() && peerFinOff < 0) {
            peerFinOff = segOff + len;
            ackPending = true;
        }
        if (peerFinOff >= 0 && !peerFin && rcvOff == peerFinOff) {
            peerFin = true;
            ackPending = true;
            switch (status) {
                case ESTABLISHED -> status = Status.CLOSE_WAIT;
                case FIN_WAIT_1 -> {
                    if (allAcked()) {
                        enterTimeWait(now);
                    } else {
                        status = Status.CLOSING;
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait(now);
                default -> {
                }
            }
        } else if (s.fin() && status == Status.TIME_WAIT) {
            ackPending = true; // the guest retransmitted its FIN
            enterTimeWait(now);
        }
        output(now);
    }

    private void inputSynSent(TcpSegment s, long now) {
        if (s.isAck() && !s.ack().equals(iss.plus(1))) {
            if (!s.rst()) {
                emit(TcpFlags.RST, s.ack(), null, false);
            }
            return;
        }
        if (s.rst()) {
            if (s.isAck()) {
                enterClosed("connection refused");
            }
            return;
        }
        if (!s.syn()) {
            return;
        }
        irs = s.seq();
        rcvOff = 0;
        TcpOption.Mss mss = s.option(TcpOption.Mss.class);
        peerMss = mss != null ? mss.value() : 536;
        TcpOption.WindowScale ws = s.option(TcpOption.WindowScale.class);
        if (ws != null && cfg.windowScale() >= 0) {
            sndScale = Math.min(ws.shift(), 14);
        } else {
            sndScale = 0;
            rcvScale = 0;
        }
        sackOk = cfg.sackPermitted() && s.option(TcpOption.SackPermitted.class) != null;
        TcpOption.Timestamps ts = s.option(TcpOption.Timestamps.class);
        tsOk = cfg.timestamps() && ts != null;
        if (tsOk) {
            tsRecent = ts.tsVal();
        }
        if (!s.isAck()) {
            status = Status.SYN_RECEIVED; // simultaneous open
            nxt = -1;
            output(now);
            return;
        }
        sndWnd = s.window(); // never scaled in a SYN
        wl1 = 0;
        wl2 = 0;
        status = Status.ESTABLISHED;
        acknowledge(0, now);
        ackPending = true;
        output(now);
    }

    /** Peer options from a SYN the host answers (passive open). */
    void acceptSyn(TcpSegment s) {
        irs = s.seq();
        TcpOption.Mss mss = s.option(TcpOption.Mss.class);
        peerMss = mss != null ? mss.value() : 536;
        TcpOption.WindowScale ws = s.option(TcpOption.WindowScale.class);
        wscaleOffered = ws != null && cfg.windowScale() >= 0;
        sndScale = wscaleOffered ? Math.min(ws.shift(), 14) : 0;
        if (!wscaleOffered) {
            rcvScale = 0;
        }
        sackOk = cfg.sackPermitted() && s.option(TcpOption.SackPermitted.class) != null;
        TcpOption.Timestamps ts = s.option(TcpOption.Timestamps.class);
        tsOk = cfg.timestamps() && ts != null;
        if (tsOk) {
            tsRecent = ts.tsVal();
        }
        sndWnd = s.window();
    }

    /** The guest acknowledged everything before send offset {@code a}. */
    private void acknowledge(long a, long now) {
        long dataFrom = Math.max(una, 0);
        long dataTo = Math.min(a, end);
        if (dataTo > dataFrom) {
            sendQ.drop(dataTo - dataFrom);
            stats = new Stats(stats.segmentsOut(), stats.segmentsIn(), stats.retransmits(), stats.timeouts(),
                    stats.dupAcksSeen(), stats.outOfOrderSegments(), stats.bytesAcked() + (dataTo - dataFrom));
        }
        una = a;
        if (nxt < una) {
            nxt = una;
        }
        if (timedTick >= 0 && a >= timedOff) {
            sample(now - timedTick);
            timedTick = -1;
        }
        retries = 0;
        dupAcks = 0;
        rtoDeadline = -1;
        if (max > una) {
            armRto(now);
        }
        if (finRequested && una == end + 1) {
            switch (status) {
                case FIN_WAIT_1 -> status = Status.FIN_WAIT_2;
                case CLOSING -> enterTimeWait(now);
                case LAST_ACK -> enterClosed(null);
                default -> {
                }
            }
        }
    }

    /** RFC 6298 §2. */
    private void sample(long r) {
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        rto = Math.min(cfg.maxRtoTicks(), Math.max(cfg.minRtoTicks(), srtt + Math.max(1, 4 * rttvar)));
    }

    private void receiveData(long segOff, byte[] data) {
        long start = segOff;
        long stop = segOff + data.length;
        long limit = rcvOff + cfg.receiveWindow();
        if (stop > limit) {
            stop = limit; // bytes beyond the window are not taken
        }
        if (stop <= rcvOff) {
            ackPending = true;
            return;
        }
        if (start > rcvOff) {
            int n = (int) (stop - start);
            byte[] have = ooo.get(start);
            if (have == null || have.length < n) {
                ooo.put(start, java.util.Arrays.copyOf(data, n));
            }
            stats = new Stats(stats.segmentsOut(), stats.segmentsIn(), stats.retransmits(), stats.timeouts(),
                    stats.dupAcksSeen(), stats.outOfOrderSegments() + 1, stats.bytesAcked());
            ackPending = true; // duplicate ACK (with SACK) at once
            return;
        }
        int skip = (int) (rcvOff - start);
        deliver(data, skip, (int) (stop - rcvOff));
        while (!ooo.isEmpty() && ooo.firstKey() <= rcvOff) {
            Map.Entry<Long, byte[]> e = ooo.pollFirstEntry();
            long eStop = e.getKey() + e.getValue().length;
            if (eStop > rcvOff) {
                deliver(e.getValue(), (int) (rcvOff - e.getKey()), (int) (eStop - rcvOff));
            }
        }
        ackPending = true;
    }

    private void deliver(byte[] b, int off, int len) {
        recvQ.append(b, off, len);
        rcvOff += len;
    }

    // ---- timers -------------------------------------------------------------------

    /** Runs this connection's timers that are due at {@code now}. */
    void onTimers(long now) {
        if (detached) {
            return;
        }
        if (timeWaitDeadline >= 0 && now >= timeWaitDeadline) {
            timeWaitDeadline = -1;
            enterClosed(null);
            return;
        }
        if (rtoDeadline >= 0 && now >= rtoDeadline) {
            rtoDeadline = -1;
            if (max > una) {
                retransmit(now, true);
            } else if (una >= 0 && end > nxt && sndWnd == 0) {
                probe(now);
            }
        }
    }

    private void retransmit(long now, boolean timeout) {
        if (timeout && una >= 0 && sndWnd == 0 && end > una) {
            nxt = una;
            probe(now); // the window is closed: keep probing, never give up on a live receiver
            return;
        }
        if (timeout) {
            retries++;
            if (retries > cfg.maxRetransmits()) {
                emit(TcpFlags.RST | TcpFlags.ACK, seqOf(nxt), null, false);
                enterClosed("timed out");
                return;
            }
            rto = Math.min(cfg.maxRtoTicks(), rto * 2);
        }
        stats = new Stats(stats.segmentsOut(), stats.segmentsIn(), stats.retransmits() + 1,
                stats.timeouts() + (timeout ? 1 : 0), stats.dupAcksSeen(), stats.outOfOrderSegments(), stats.bytesAcked());
        timedTick = -1; // Karn: no RTT sample from retransmitted data
        nxt = una;
        rtoDeadline = -1;
        output(now);
        if (rtoDeadline < 0 && max > una) {
            armRto(now);
        }
    }

    /** Zero-window probe: one byte past the window. */
    private void probe(long now) {
        sendData(now, una, 1, false);
        nxt = Math.max(nxt, una + 1);
        max = Math.max(max, nxt);
        rto = Math.min(cfg.maxRtoTicks(), rto * 2);
        armRto(now);
    }

    private void enterTimeWait(long now) {
        status = Status.TIME_WAIT;
        rtoDeadline = -1;
        timeWaitDeadline = now + cfg.timeWaitTicks();
        endpoint.wire().wakeAt(timeWaitDeadline);
    }

    private void enterClosed(String why) {
        status = Status.CLOSED;
        if (error == null) {
            error = why;
        }
        rtoDeadline = -1;
        timeWaitDeadline = -1;
        endpoint.closed(this);
    }

    // ---- snapshots ------------------------------------------------------------------

    State save() {
        return new State(status, error, iss.raw(), una, nxt, max, end, finRequested, sndWnd, sndScale, rcvScale, peerMss,
                sackOk, tsOk, tsRecent, tsBase, sendQ.toArray(), irs.raw(), rcvOff, peerFin, peerFinOff, recvQ.toArray(),
                ooo, rto, srtt, rttvar, retries, rtoDeadline, timeWaitDeadline, timedOff, timedTick, dupAcks, ackPending,
                wl1, wl2, wscaleOffered, stats);
    }

    void restore(State s) {
        detached = false;
        status = s.status();
        error = s.error();
        iss = new SeqNumber(s.iss());
        una = s.una();
        nxt = s.nxt();
        max = s.max();
        end = s.end();
        finRequested = s.finRequested();
        sndWnd = s.sndWnd();
        sndScale = s.sndScale();
        rcvScale = s.rcvScale();
        peerMss = s.peerMss();
        sackOk = s.sackOk();
        tsOk = s.tsOk();
        tsRecent = s.tsRecent();
        tsBase = s.tsBase();
        sendQ = new ByteQueue(s.sendQ());
        irs = new SeqNumber(s.irs());
        rcvOff = s.rcvOff();
        peerFin = s.peerFin();
        peerFinOff = s.peerFinOff();
        recvQ = new ByteQueue(s.recvQ());
        ooo.clear();
        ooo.putAll(s.ooo());
        rto = s.rto();
        srtt = s.srtt();
        rttvar = s.rttvar();
        retries = s.retries();
        rtoDeadline = s.rtoDeadline();
        timeWaitDeadline = s.timeWaitDeadline();
        timedOff = s.timedOff();
        timedTick = s.timedTick();
        dupAcks = s.dupAcks();
        ackPending = s.ackPending();
        wl1 = s.wl1();
        wl2 = s.wl2();
        wscaleOffered = s.wscaleOffered();
        stats = s.stats();
    }

    /** The connection did not exist at the snapshot the board went back to. */
    void detach() {
        detached = true;
        status = Status.CLOSED;
        error = "not part of the restored snapshot";
    }

    private void checkAttached() {
        if (detached) {
            throw new IllegalStateException("connection " + this + " is not part of the restored snapshot");
        }
    }
}
