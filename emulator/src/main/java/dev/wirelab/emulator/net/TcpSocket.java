package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The host's TCP endpoint as a state machine without I/O (in the manner of
 * smoltcp's {@code socket/tcp.rs}): segments and the current virtual time go in
 * ({@link #input}, {@link #send}, {@link #close}, {@link #abort},
 * {@link #onTimers}), segments come out ({@link Output}), and {@link #pollAt}
 * says when it next needs {@link #onTimers}. It never reads a clock, never
 * waits and knows no wire: {@link TcpConnection} is the adapter that does.
 *
 * <p>RFC 9293 with the options {@link TcpConfig} asks for: a sliding window
 * bounded only by the peer's advertised window (no congestion control),
 * reassembly of out-of-order data (reported in SACK blocks), delayed ACKs as
 * Linux does them ({@link TcpConfig#delayedAckTicks}: quick ACKs after the
 * handshake, then one ACK per two full-sized segments or per timeout, data
 * carrying the ACK whenever it can; out-of-order data, FIN and duplicates are
 * acknowledged at once), go-back-N retransmission on an RTO with exponential backoff (RFC 6298
 * estimator, Karn's rule), fast retransmit on the third duplicate ACK,
 * zero-window probes, RST and SYN acceptance (RFC 5961), FIN states and
 * TIME-WAIT.
 *
 * <p>State is kept in stream offsets ({@code long}, never wrapping): the send
 * side counts SYN as offset -1, data from 0, FIN at the end; the receive side
 * counts the peer's data from 0. Sequence numbers appear only at the edge,
 * converted with {@link SeqNumber} and an explicit signed distance.
 *
 * <p>The whole state is this object's fields; {@link #copy} is a snapshot.
 */
public final class TcpSocket {
    public enum Status { SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSING, TIME_WAIT, CLOSE_WAIT,
        LAST_ACK, CLOSED }

    /** Counters of one connection. */
    public record Stats(long segmentsOut, long segmentsIn, long retransmits, long timeouts, long dupAcksSeen,
                        long outOfOrderSegments, long bytesAcked) { }

    /**
     * What one call produced.
     *
     * @param segments segments to send, in order (ports, sequence numbers, options and payload set;
     *                 the IP layer adds addresses and checksum)
     * @param accepted a passive open completed in this call (the listener may hand the connection out)
     */
    public record Output(List<TcpSegment.Builder> segments, boolean accepted) {
        public Output {
            segments = List.copyOf(segments);
        }
    }

    private static final int DEFAULT_MSS = 536;
    private static final Output NOTHING = new Output(List.of(), false);

    // Identity and configuration (never change).
    private final TcpConfig cfg;
    private final int localPort;
    private final int remotePort;
    private final SeqNumber iss;
    private final long tsBase;

    private Status status;
    private String error;
    // Send side: offsets -1 (SYN) .. end (FIN); the sequence number of offset o is iss + 1 + o.
    private long una = -1;
    private long nxt = -1;
    private long max = -1;
    private long end;
    private boolean finRequested;
    private long sndWnd;
    private int sndScale;
    private int rcvScale;
    private int peerMss = DEFAULT_MSS;
    private boolean wscaleOffered;
    private boolean sackOk;
    private boolean tsOk;
    private long tsRecent;
    private ByteQueue sendQ; // data from max(una, 0) to end
    private long wl1 = Long.MIN_VALUE;
    private long wl2 = Long.MIN_VALUE;
    private int dupAcks;
    // Receive side: offset o of the peer's data is irs + 1 + o.
    private SeqNumber irs = SeqNumber.ZERO;
    private long rcvOff;
    private boolean peerFin;
    private long peerFinOff = -1;
    private ByteQueue recvQ;
    private TreeMap<Long, byte[]> ooo; // out-of-order data by receive offset; arrays are never changed once in
    private boolean ackPending;
    // Delayed ACK: in-order bytes received since the last ACK left, the largest segment seen (Linux's rcv_mss),
    // segments still acknowledged at once (quick ACKs) and the timer (-1 = not armed).
    private long unackedBytes;
    private int rcvMss;
    private int quickAcks = TcpConfig.QUICK_ACKS;
    private long delAckDeadline = -1;
    // Timers (virtual ticks; -1 = not armed) and the RTT estimator.
    private long rto;
    private long srtt = -1;
    private long rttvar;
    private int retries;
    private long rtoDeadline = -1;
    private long timeWaitDeadline = -1;
    private long timedOff = -1;
    private long timedTick = -1;
    // Counters.
    private long segmentsOut;
    private long segmentsIn;
    private long retransmits;
    private long timeouts;
    private long dupAcksSeen;
    private long outOfOrder;
    private long bytesAcked;

    // The call being processed: its instant and what it produced (not state: empty between calls).
    private long now;
    private List<TcpSegment.Builder> out = new ArrayList<>();
    private boolean accepted;

    private TcpSocket(TcpConfig cfg, int localPort, int remotePort, SeqNumber iss, long tsBase, Status initial) {
        this.cfg = cfg;
        this.localPort = localPort;
        this.remotePort = remotePort;
        this.iss = iss;
        this.tsBase = tsBase;
        this.status = initial;
        this.rto = cfg.initialRtoTicks();
        this.rcvScale = Math.max(cfg.windowScale(), 0);
        this.sendQ = new ByteQueue();
        this.recvQ = new ByteQueue();
        this.ooo = new TreeMap<>();
    }

    /** A copy of {@code o}'s whole state (a snapshot; the two evolve independently). */
    private TcpSocket(TcpSocket o) {
        this(o.cfg, o.localPort, o.remotePort, o.iss, o.tsBase, o.status);
        error = o.error;
        una = o.una;
        nxt = o.nxt;
        max = o.max;
        end = o.end;
        finRequested = o.finRequested;
        sndWnd = o.sndWnd;
        sndScale = o.sndScale;
        rcvScale = o.rcvScale;
        peerMss = o.peerMss;
        wscaleOffered = o.wscaleOffered;
        sackOk = o.sackOk;
        tsOk = o.tsOk;
        tsRecent = o.tsRecent;
        sendQ = o.sendQ.copy();
        wl1 = o.wl1;
        wl2 = o.wl2;
        dupAcks = o.dupAcks;
        irs = o.irs;
        rcvOff = o.rcvOff;
        peerFin = o.peerFin;
        peerFinOff = o.peerFinOff;
        recvQ = o.recvQ.copy();
        ooo = new TreeMap<>(o.ooo);
        ackPending = o.ackPending;
        unackedBytes = o.unackedBytes;
        rcvMss = o.rcvMss;
        quickAcks = o.quickAcks;
        delAckDeadline = o.delAckDeadline;
        rto = o.rto;
        srtt = o.srtt;
        rttvar = o.rttvar;
        retries = o.retries;
        rtoDeadline = o.rtoDeadline;
        timeWaitDeadline = o.timeWaitDeadline;
        timedOff = o.timedOff;
        timedTick = o.timedTick;
        segmentsOut = o.segmentsOut;
        segmentsIn = o.segmentsIn;
        retransmits = o.retransmits;
        timeouts = o.timeouts;
        dupAcksSeen = o.dupAcksSeen;
        outOfOrder = o.outOfOrder;
        bytesAcked = o.bytesAcked;
    }

    /** Active open: in SYN-SENT; the SYN leaves at the first {@link #transmit}. */
    public static TcpSocket connect(TcpConfig cfg, int localPort, int remotePort, SeqNumber iss, long tsBase) {
        return new TcpSocket(cfg, localPort, remotePort, iss, tsBase, Status.SYN_SENT);
    }

    /** Passive open answering {@code syn}: in SYN-RECEIVED; the SYN-ACK leaves at the first {@link #transmit}. */
    public static TcpSocket accept(TcpConfig cfg, TcpSegment syn, SeqNumber iss, long tsBase) {
        TcpSocket s = new TcpSocket(cfg, syn.destinationPort(), syn.sourcePort(), iss, tsBase, Status.SYN_RECEIVED);
        s.irs = syn.seq();
        s.peerOptions(syn);
        s.wscaleOffered = syn.option(TcpOption.WindowScale.class) != null && cfg.windowScale() >= 0;
        s.sndWnd = syn.window(); // never scaled in a SYN
        return s;
    }

    /** This socket's whole state, copied. */
    public TcpSocket copy() {
        return new TcpSocket(this);
    }

    // ---- what the state says ----------------------------------------------------

    public Status status() {
        return status;
    }

    public int localPort() {
        return localPort;
    }

    public int remotePort() {
        return remotePort;
    }

    /** Why the connection ended abnormally ("connection refused", "connection reset by peer", "timed out"), or null. */
    public String error() {
        return error;
    }

    public boolean isEstablished() {
        return status == Status.ESTABLISHED || status == Status.CLOSE_WAIT;
    }

    /** Nothing more will happen: both sides closed (TIME-WAIT counts), reset, refused or timed out. */
    public boolean isClosed() {
        return status == Status.CLOSED || status == Status.TIME_WAIT;
    }

    /** The peer sent FIN and all data before it arrived. */
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

    /** Bytes written with {@link #send} and acknowledged. */
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
        return new Stats(segmentsOut, segmentsIn, retransmits, timeouts, dupAcksSeen, outOfOrder, bytesAcked);
    }

    /** The peer's advertised window in bytes (scaled), as last taken. */
    public long peerWindow() {
        return sndWnd;
    }

    /** The retransmission timeout now in use (ticks). */
    public long rto() {
        return rto;
    }

    /** Options in use: "mss=N wscale=S/R sack ts". */
    public String options() {
        return "mss=" + peerMss + " wscale=" + sndScale + "/" + rcvScale + (sackOk ? " sack" : "") + (tsOk ? " ts" : "");
    }

    /** The earliest instant {@link #onTimers} has something to do, or {@link Long#MAX_VALUE}. */
    public long pollAt() {
        long t = Long.MAX_VALUE;
        if (rtoDeadline >= 0) {
            t = rtoDeadline;
        }
        if (timeWaitDeadline >= 0) {
            t = Math.min(t, timeWaitDeadline);
        }
        if (delAckDeadline >= 0) {
            t = Math.min(t, delAckDeadline);
        }
        return status == Status.CLOSED ? Long.MAX_VALUE : t;
    }

    @Override
    public String toString() {
        return localPort + "<->" + remotePort + " " + status;
    }

    // ---- calls --------------------------------------------------------------------

    /** Sends what the state owes (the SYN after an open, queued data the window allows, an ACK owed). */
    public Output transmit(long at) {
        begin(at);
        output();
        return end();
    }

    /**
     * Queues {@code data}; it goes out as the peer's window allows.
     *
     * @throws IllegalStateException after {@link #close}, or on a closed connection
     */
    public Output send(long at, byte[] data) {
        if (finRequested) {
            throw new IllegalStateException("send after close on " + this);
        }
        if (status == Status.CLOSED) {
            throw new IllegalStateException("send on a closed connection " + this + (error == null ? "" : ": " + error));
        }
        begin(at);
        sendQ.append(data);
        end += data.length;
        output();
        return end();
    }

    public Output send(long at, String text) {
        return send(at, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Orderly close: FIN after the queued data (a SYN-SENT socket just closes). */
    public Output close(long at) {
        begin(at);
        switch (status) {
            case SYN_SENT -> enterClosed(null);
            case SYN_RECEIVED, ESTABLISHED -> {
                finRequested = true;
                status = Status.FIN_WAIT_1;
                output();
            }
            case CLOSE_WAIT -> {
                finRequested = true;
                status = Status.LAST_ACK;
                output();
            }
            default -> {
            }
        }
        return end();
    }

    /** Abortive close: RST now, connection gone. */
    public Output abort(long at) {
        begin(at);
        if (status != Status.CLOSED && status != Status.SYN_SENT && status != Status.TIME_WAIT) {
            emit(TcpFlags.RST | TcpFlags.ACK, seqOf(nxt), null, false);
        }
        enterClosed(status == Status.CLOSED ? error : "aborted by the host");
        return end();
    }

    /** Runs the timers due at {@code at} (delayed ACK, retransmission, persist, TIME-WAIT). */
    public Output onTimers(long at) {
        begin(at);
        if (delAckDeadline >= 0 && now >= delAckDeadline && status != Status.CLOSED) {
            delAckDeadline = -1;
            ackPending = true;
            output();
        }
        if (timeWaitDeadline >= 0 && now >= timeWaitDeadline) {
            timeWaitDeadline = -1;
            enterClosed(null);
        } else if (rtoDeadline >= 0 && now >= rtoDeadline) {
            rtoDeadline = -1;
            if (max > una) {
                retransmit(true);
            } else if (una >= 0 && end > nxt && sndWnd == 0) {
                probe();
            }
        }
        return end();
    }

    /** A segment from the peer for this connection (ports already matched). */
    public Output input(long at, TcpSegment s) {
        if (status == Status.CLOSED) {
            return NOTHING;
        }
        begin(at);
        segmentsIn++;
        if (status == Status.SYN_SENT) {
            inputSynSent(s);
        } else {
            inputSynchronized(s);
        }
        return end();
    }

    private void begin(long at) {
        now = at;
        out = new ArrayList<>(2);
        accepted = false;
    }

    private Output end() {
        Output o = out.isEmpty() && !accepted ? NOTHING : new Output(out, accepted);
        out = new ArrayList<>(0);
        accepted = false;
        return o;
    }

    // ---- sequence numbers at the edge ----------------------------------------------

    private SeqNumber seqOf(long sendOffset) {
        return iss.plus(1 + sendOffset);
    }

    /** rcv.nxt: the peer's next expected sequence number (its FIN included once received). */
    private SeqNumber rcvNxt() {
        return irs.plus(1 + rcvOff + (peerFin ? 1 : 0));
    }

    /** Send offset of an acknowledgement number, relative to what is acknowledged already. */
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
    private void output() {
        if (status == Status.CLOSED) {
            return;
        }
        boolean sent = false;
        if (una < 0) {
            if (nxt < 0) {
                sendSyn();
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
                    sendData(nxt, n, fin);
                    nxt += n + (fin ? 1 : 0);
                    sent = true;
                } else if (finRequested && nxt == end) {
                    sendData(nxt, 0, true);
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
                armRto();
            }
        } else if (una >= 0 && end > nxt && nxt == una && rtoDeadline < 0) {
            armRto(); // zero window with data waiting: the persist timer
        }
        if (ackPending) {
            ackPending = false;
            emit(TcpFlags.ACK, seqOf(nxt), null, false);
        }
    }

    private void sendSyn() {
        int flags = status == Status.SYN_SENT ? TcpFlags.SYN : TcpFlags.SYN | TcpFlags.ACK;
        emit(flags, iss, null, true);
        nxt = 0;
        if (timedTick < 0) {
            timedOff = 0;
            timedTick = now;
        }
    }

    private void sendData(long from, int n, boolean fin) {
        byte[] payload = n == 0 ? null : sendQ.copy(from - Math.max(una, 0), n);
        int flags = TcpFlags.ACK | (n > 0 && from + n == end ? TcpFlags.PSH : 0) | (fin ? TcpFlags.FIN : 0);
        emit(flags, seqOf(from), payload, false);
        long to = from + n + (fin ? 1 : 0);
        if (to > max && timedTick < 0) {
            timedOff = to;
            timedTick = now;
        }
    }

    private void armRto() {
        rtoDeadline = now + rto;
    }

    /** Builds one segment; SYN segments carry the handshake options. */
    private void emit(int flags, SeqNumber seq, byte[] payload, boolean syn) {
        TcpSegment.Builder b = TcpSegment.builder().ports(localPort, remotePort).seq(seq).flags(flags)
                .window(advertisedWindow(syn));
        if ((flags & TcpFlags.ACK) != 0) {
            b.ack(rcvNxt());
            unackedBytes = 0; // this segment acknowledges everything received: nothing is owed any more
            delAckDeadline = -1;
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
        segmentsOut++;
        out.add(b);
    }

    private long tsVal() {
        return (tsBase + now / TcpConfig.TICKS_PER_MS) & 0xffff_ffffL;
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

    private void inputSynchronized(TcpSegment s) {
        if (status == Status.SYN_RECEIVED && s.syn() && !s.isAck() && !s.rst() && s.seq().equals(irs)) {
            nxt = -1; // the peer did not get our SYN-ACK: send it again
            output();
            return;
        }
        // Acceptability (RFC 9293 §3.10.7.4), in offsets relative to rcv.nxt.
        long top = rcvOff + (peerFin ? 1 : 0);
        long segOff = top + rcvNxt().signedDistanceTo(s.seq());
        int len = s.payload().length();
        long wnd = cfg.receiveWindow();
        boolean acceptable = len == 0 && !s.fin()
                ? segOff >= top && segOff <= top + wnd
                : segOff + len + (s.fin() ? 1 : 0) > top && segOff < top + wnd;
        if (!acceptable) {
            if (!s.rst()) {
                ackPending = true; // duplicate or outside the window: tell the peer where we are
                output();
            }
            return;
        }
        if (s.rst()) {
            // RFC 5961 §3.2: only a RST exactly at rcv.nxt resets; one elsewhere in the window is challenged.
            if (segOff == top) {
                enterClosed(status == Status.SYN_RECEIVED ? "connection refused" : "connection reset by peer");
            } else {
                ackPending = true;
                output();
            }
            return;
        }
        if (s.syn()) {
            ackPending = true; // challenge ACK (RFC 5961 §4)
            output();
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
            accepted = true;
        }
        long window = (long) s.window() << sndScale;
        if (a > max) {
            ackPending = true; // acknowledges something never sent
            output();
            return;
        }
        if (a > una) {
            acknowledge(a);
        } else if (a == una && len == 0 && !s.fin() && window == sndWnd && max > una) {
            dupAcks++;
            dupAcksSeen++;
            if (dupAcks == 3) {
                retransmit(false); // fast retransmit
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
        if (len > 0 && (status == Status.ESTABLISHED || status == Status.FIN_WAIT_1 || status == Status.FIN_WAIT_2)) {
            receiveData(segOff, s.payload().toArray());
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
                        enterTimeWait();
                    } else {
                        status = Status.CLOSING;
                    }
                }
                case FIN_WAIT_2 -> enterTimeWait();
                default -> {
                }
            }
        } else if (s.fin() && status == Status.TIME_WAIT) {
            ackPending = true; // the peer retransmitted its FIN
            enterTimeWait();
        }
        output();
    }

    private void inputSynSent(TcpSegment s) {
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
        peerOptions(s);
        if (!s.isAck()) {
            status = Status.SYN_RECEIVED; // simultaneous open
            nxt = -1;
            output();
            return;
        }
        sndWnd = s.window(); // never scaled in a SYN
        wl1 = 0;
        wl2 = 0;
        status = Status.ESTABLISHED;
        acknowledge(0);
        ackPending = true;
        output();
    }

    /** MSS, window scale, SACK and timestamps from the peer's SYN. */
    private void peerOptions(TcpSegment syn) {
        TcpOption.Mss mss = syn.option(TcpOption.Mss.class);
        peerMss = mss != null ? mss.value() : DEFAULT_MSS;
        TcpOption.WindowScale ws = syn.option(TcpOption.WindowScale.class);
        if (ws != null && cfg.windowScale() >= 0) {
            sndScale = Math.min(ws.shift(), 14);
        } else {
            sndScale = 0;
            rcvScale = 0;
        }
        sackOk = cfg.sackPermitted() && syn.option(TcpOption.SackPermitted.class) != null;
        TcpOption.Timestamps ts = syn.option(TcpOption.Timestamps.class);
        tsOk = cfg.timestamps() && ts != null;
        if (tsOk) {
            tsRecent = ts.tsVal();
        }
    }

    /** The peer acknowledged everything before send offset {@code a}. */
    private void acknowledge(long a) {
        long dataFrom = Math.max(una, 0);
        long dataTo = Math.min(a, end);
        if (dataTo > dataFrom) {
            sendQ.drop(dataTo - dataFrom);
            bytesAcked += dataTo - dataFrom;
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
            armRto();
        }
        if (finRequested && una == end + 1) {
            switch (status) {
                case FIN_WAIT_1 -> status = Status.FIN_WAIT_2;
                case CLOSING -> enterTimeWait();
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
        long stop = Math.min(segOff + data.length, rcvOff + cfg.receiveWindow()); // bytes beyond the window are not taken
        if (stop <= rcvOff) {
            ackPending = true;
            return;
        }
        if (start > rcvOff) {
            int n = (int) (stop - start);
            byte[] have = ooo.get(start);
            if (have == null || have.length < n) {
                ooo.put(start, Arrays.copyOf(data, n));
            }
            outOfOrder++;
            ackPending = true; // duplicate ACK (with SACK) at once
            return;
        }
        boolean filledHole = !ooo.isEmpty();
        long before = rcvOff;
        deliver(data, (int) (rcvOff - start), (int) (stop - rcvOff));
        while (!ooo.isEmpty() && ooo.firstKey() <= rcvOff) {
            Map.Entry<Long, byte[]> e = ooo.pollFirstEntry();
            long eStop = e.getKey() + e.getValue().length;
            if (eStop > rcvOff) {
                deliver(e.getValue(), (int) (rcvOff - e.getKey()), (int) (eStop - rcvOff));
            }
        }
        ackInOrder(rcvOff - before, data.length, filledHole);
    }

    /**
     * In-order data arrived: acknowledge at once or delay, as Linux's {@code __tcp_ack_snd_check} decides
     * (at once in quick-ACK mode, after out-of-order data, or once more than one full-sized segment is
     * unacknowledged; otherwise within {@link TcpConfig#delayedAckTicks}, unless data carries the ACK first).
     * As on Linux, a sender that waits for an ACK before sending a small segment (Nagle) can meet the timer.
     */
    private void ackInOrder(long bytes, int segmentLength, boolean filledHole) {
        unackedBytes += bytes;
        rcvMss = Math.max(rcvMss, Math.min(segmentLength, cfg.mss()));
        if (cfg.delayedAckTicks() == 0 || filledHole || quickAcks > 0 || unackedBytes > rcvMss) {
            if (quickAcks > 0) {
                quickAcks--;
            }
            ackPending = true;
        } else if (delAckDeadline < 0) {
            delAckDeadline = now + cfg.delayedAckTicks();
        }
    }

    private void deliver(byte[] b, int off, int len) {
        recvQ.append(b, off, len);
        rcvOff += len;
    }

    // ---- timers -------------------------------------------------------------------

    private void retransmit(boolean timeout) {
        if (timeout && una >= 0 && sndWnd == 0 && end > una) {
            nxt = una;
            probe(); // the window is closed: keep probing, never give up on a live receiver
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
            timeouts++;
        }
        retransmits++;
        timedTick = -1; // Karn: no RTT sample from retransmitted data
        nxt = una;
        rtoDeadline = -1;
        output();
        if (rtoDeadline < 0 && max > una) {
            armRto();
        }
    }

    /** Zero-window probe: one byte past the window. */
    private void probe() {
        sendData(una, 1, false);
        nxt = Math.max(nxt, una + 1);
        max = Math.max(max, nxt);
        rto = Math.min(cfg.maxRtoTicks(), rto * 2);
        armRto();
    }

    private void enterTimeWait() {
        status = Status.TIME_WAIT;
        rtoDeadline = -1;
        delAckDeadline = -1;
        timeWaitDeadline = now + cfg.timeWaitTicks();
    }

    private void enterClosed(String why) {
        status = Status.CLOSED;
        if (error == null) {
            error = why;
        }
        rtoDeadline = -1;
        timeWaitDeadline = -1;
        delAckDeadline = -1;
    }
}
