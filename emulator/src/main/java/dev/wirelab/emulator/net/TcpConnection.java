package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.TcpSegment;

import java.nio.charset.StandardCharsets;

/**
 * One host TCP connection to the guest, as seen from a script or test: the
 * I/O around a {@link TcpSocket} (which holds the protocol and the whole
 * state). Segments the socket produces go onto the {@link VirtualWire}; its
 * timer deadline becomes a wire wake-up; segments from the guest come in
 * through {@link HostTcpEndpoint}. The {@code await…} methods run the board
 * until something holds.
 *
 * <p>After a board restore the same object carries on with the socket state
 * of the snapshot, or is detached (closed for good) when it was opened after it.
 */
public final class TcpConnection {
    private final HostTcpEndpoint endpoint;
    private final long id;
    private final Ipv4Address localIp;
    private final Ipv4Address remoteIp;
    private TcpSocket socket;
    private boolean detached;

    TcpConnection(HostTcpEndpoint endpoint, long id, Ipv4Address localIp, Ipv4Address remoteIp, TcpSocket socket) {
        this.endpoint = endpoint;
        this.id = id;
        this.localIp = localIp;
        this.remoteIp = remoteIp;
        this.socket = socket;
    }

    // ---- public API -----------------------------------------------------------

    public long id() {
        return id;
    }

    public int localPort() {
        return socket.localPort();
    }

    public Ipv4Address localAddress() {
        return localIp;
    }

    public int remotePort() {
        return socket.remotePort();
    }

    public Ipv4Address remoteAddress() {
        return remoteIp;
    }

    public TcpSocket.Status status() {
        return detached ? TcpSocket.Status.CLOSED : socket.status();
    }

    /** Why the connection ended abnormally ("connection refused", "connection reset by peer", "timed out"), or null. */
    public String error() {
        return detached ? "not part of the restored snapshot" : socket.error();
    }

    public boolean isEstablished() {
        return !detached && socket.isEstablished();
    }

    /** The connection has ended (both sides closed, reset, refused or timed out): nothing more will happen on it. */
    public boolean isClosed() {
        return detached || socket.isClosed();
    }

    /** The guest sent FIN (and all data before it arrived). */
    public boolean peerClosed() {
        return socket.peerClosed();
    }

    /** Bytes received in order so far (read or not). */
    public long received() {
        return socket.received();
    }

    /** Received bytes not yet {@link #read}. */
    public int available() {
        return socket.available();
    }

    /** Takes every received byte not read yet. */
    public byte[] read() {
        return socket.read();
    }

    public String readString() {
        return new String(read(), StandardCharsets.ISO_8859_1);
    }

    /** Bytes written with {@link #send} and acknowledged by the guest. */
    public long acked() {
        return socket.acked();
    }

    /** Bytes written with {@link #send} so far. */
    public long written() {
        return socket.written();
    }

    /** Everything written (and the FIN, if closed) has been acknowledged. */
    public boolean allAcked() {
        return socket.allAcked();
    }

    public TcpSocket.Stats stats() {
        return socket.stats();
    }

    /** The guest's advertised window in bytes (scaled), as last seen. */
    public long peerWindow() {
        return socket.peerWindow();
    }

    /** Options in use on this connection: "mss=N wscale=S/R sack ts". */
    public String options() {
        return socket.options();
    }

    /** Queues {@code data} for sending; it goes out as the guest's window allows. */
    public TcpConnection send(byte[] data) {
        checkAttached();
        carry(socket.send(endpoint.now(), data));
        return this;
    }

    public TcpConnection send(String text) {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Orderly close: FIN after the queued data. */
    public void close() {
        checkAttached();
        carry(socket.close(endpoint.now()));
    }

    /** Abortive close: RST now, connection gone. */
    public void abort() {
        checkAttached();
        carry(socket.abort(endpoint.now()));
    }

    /** Runs the board until the handshake completes; throws when it fails or the budget runs out. */
    public TcpConnection awaitEstablished() {
        endpoint.wire().await("connection " + this + " established", () -> isEstablished() || status() == TcpSocket.Status.CLOSED);
        if (!isEstablished()) {
            throw new IllegalStateException("connection " + this + " failed: " + (error() == null ? status() : error()));
        }
        return this;
    }

    /** Runs the board until {@code n} bytes have been received in total. */
    public TcpConnection awaitReceived(long n) {
        endpoint.wire().await(n + " bytes received on " + this,
                () -> received() >= n || peerClosed() || status() == TcpSocket.Status.CLOSED);
        if (received() < n) {
            throw new IllegalStateException("connection " + this + " ended after " + received() + " of " + n + " bytes: "
                    + (error() == null ? status() : error()));
        }
        return this;
    }

    /** Runs the board until the guest has closed its side (FIN) or the connection ended. */
    public TcpConnection awaitPeerClosed() {
        endpoint.wire().await("peer FIN on " + this, () -> peerClosed() || status() == TcpSocket.Status.CLOSED);
        return this;
    }

    /** Runs the board until the connection has ended ({@link #isClosed}). */
    public TcpConnection awaitClosed() {
        endpoint.wire().await(this + " closed", this::isClosed);
        return this;
    }

    @Override
    public String toString() {
        return localIp + ":" + localPort() + "<->" + remoteIp + ":" + remotePort() + " " + status();
    }

    // ---- I/O for the socket ------------------------------------------------------

    /** Sends what the socket owes now (the first SYN or SYN-ACK). */
    void transmit(long now) {
        if (!detached) {
            carry(socket.transmit(now));
        }
    }

    /** A segment from the guest for this connection. */
    void input(TcpSegment s, long now) {
        if (!detached) {
            carry(socket.input(now, s));
        }
    }

    /** Runs this connection's timers that are due at {@code now}. */
    void onTimers(long now) {
        if (!detached) {
            carry(socket.onTimers(now));
        }
    }

    /** Puts what the socket produced on the wire and tells the endpoint about state changes. */
    private void carry(TcpSocket.Output out) {
        for (TcpSegment.Builder b : out.segments()) {
            endpoint.wire().sendIpv4(localIp, remoteIp, b);
        }
        long due = socket.pollAt();
        if (due != Long.MAX_VALUE) {
            endpoint.wire().wakeAt(due);
        }
        if (out.accepted()) {
            endpoint.established(this);
        }
        if (socket.status() == TcpSocket.Status.CLOSED) {
            endpoint.closed(this);
        }
    }

    // ---- snapshots ------------------------------------------------------------------

    TcpSocket save() {
        return socket.copy();
    }

    void restore(TcpSocket saved) {
        detached = false;
        socket = saved.copy();
    }

    /** The connection did not exist at the snapshot the board went back to. */
    void detach() {
        detached = true;
    }

    private void checkAttached() {
        if (detached) {
            throw new IllegalStateException("connection " + this + " is not part of the restored snapshot");
        }
    }
}
