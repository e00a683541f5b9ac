package dev.wirelab.emulator.net;

import java.util.ArrayDeque;
import java.util.List;

/** A host port that accepts connections the guest opens (to 10.0.2.2 or 10.0.2.3). */
public final class TcpListener {
    record State(int port, List<Long> pending, long accepted, boolean open) {
        State {
            pending = List.copyOf(pending);
        }
    }

    private final HostTcpEndpoint endpoint;
    private final int port;
    private final ArrayDeque<TcpConnection> pending = new ArrayDeque<>();
    private long accepted;
    private boolean open = true;

    TcpListener(HostTcpEndpoint endpoint, int port) {
        this.endpoint = endpoint;
        this.port = port;
    }

    public int port() {
        return port;
    }

    /** The next established connection not taken yet, or null. */
    public TcpConnection accept() {
        return pending.poll();
    }

    /** Runs the board until a connection is established, and takes it. */
    public TcpConnection awaitAccept() {
        endpoint.wire().await("a connection on port " + port, () -> !pending.isEmpty());
        return pending.poll();
    }

    /** Connections established and waiting in {@link #accept}. */
    public int pending() {
        return pending.size();
    }

    /** Connections established on this port so far. */
    public long acceptedTotal() {
        return accepted;
    }

    public boolean isOpen() {
        return open;
    }

    /** Stops accepting (existing connections go on). */
    public void close() {
        open = false;
        endpoint.unlisten(this);
    }

    void established(TcpConnection c) {
        pending.add(c);
        accepted++;
    }

    State save() {
        return new State(port, pending.stream().map(TcpConnection::id).toList(), accepted, open);
    }

    void restore(State s, java.util.function.LongFunction<TcpConnection> byId) {
        pending.clear();
        for (long id : s.pending()) {
            TcpConnection c = byId.apply(id);
            if (c != null) {
                pending.add(c);
            }
        }
        accepted = s.accepted();
        open = s.open();
    }

    void detach() {
        pending.clear();
        open = false;
    }
}
