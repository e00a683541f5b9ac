package dev.wirelab.emulator.gdb;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The GDB stub's TCP side: listens (127.0.0.1 unless told otherwise), serves one
 * debugger at a time on the calling thread, and hands the machine back when the
 * debugger detaches, kills or disconnects. A reader thread decodes the socket
 * into the calling thread's queue, so a Ctrl-C (0x03) reaches a running target
 * at once. Whatever the peer sends, {@link #serve} returns; it never throws for
 * bad protocol input.
 */
public final class GdbServer implements AutoCloseable {
    public enum Outcome { DETACHED, KILLED, DISCONNECTED }

    private final ServerSocket server;
    private final int maxPayload;
    private final AtomicReference<Socket> accepted = new AtomicReference<>();
    private Thread acceptor;

    private GdbServer(ServerSocket server, int maxPayload) {
        this.server = server;
        this.maxPayload = maxPayload;
    }

    /** Listens on {@code host:port} ({@code port} 0: any free port, see {@link #port()}). */
    public static GdbServer listen(String host, int port) throws IOException {
        ServerSocket s = new ServerSocket();
        try {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot listen for GDB on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        return new GdbServer(s, RspCodec.DEFAULT_MAX_PAYLOAD);
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return server.getInetAddress().getHostAddress() + ":" + port();
    }

    /**
     * Accepts the next debugger on a background thread and calls {@code onClient} when it connects
     * (the machine can keep running until then, like QEMU's {@code -s} without {@code -S}).
     */
    public void acceptInBackground(Runnable onClient) {
        acceptor = Thread.ofPlatform().daemon().name("gdb-accept").start(() -> {
            try {
                accepted.set(server.accept());
                onClient.run();
            } catch (IOException e) {
                // closed before anyone connected
            }
        });
    }

    /** True once a debugger connected through {@link #acceptInBackground}. */
    public boolean clientWaiting() {
        return accepted.get() != null;
    }

    /** Serves one debugger (the one already accepted, or the next to connect) until it lets go. */
    public Outcome serve(GdbTarget target, GdbSession.MonitorHandler monitor) throws IOException {
        Socket s = accepted.getAndSet(null);
        if (s == null) {
            s = server.accept();
        }
        try (Socket socket = s) {
            socket.setTcpNoDelay(true);
            return converse(socket, target, monitor);
        }
    }

    private record Disconnected() implements Event { }

    private record Input(RspInput input) implements Event { }

    private sealed interface Event permits Disconnected, Input { }

    private Outcome converse(Socket socket, GdbTarget target, GdbSession.MonitorHandler monitor) throws IOException {
        BlockingQueue<Event> queue = new LinkedBlockingQueue<>();
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        RspCodec codec = new RspCodec(maxPayload);
        Thread reader = Thread.ofPlatform().daemon().name("gdb-reader").start(() -> {
            byte[] buf = new byte[8192];
            try {
                int n;
                while ((n = in.read(buf)) > 0) {
                    for (RspInput i : codec.feed(buf, 0, n)) {
                        if (i instanceof RspInput.Interrupt) {
                            target.interrupt(); // reaches a running target now; the queue is busy running it
                        }
                        queue.add(new Input(i));
                    }
                }
            } catch (IOException e) {
                // the peer went away
            }
            queue.add(new Disconnected());
        });
        GdbSession session = new GdbSession(target, monitor, maxPayload);
        byte[] lastSent = null;
        try {
            while (true) {
                Event ev;
                try {
                    ev = queue.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Outcome.DISCONNECTED;
                }
                if (ev instanceof Disconnected) {
                    return Outcome.DISCONNECTED;
                }
                RspInput i = ((Input) ev).input();
                switch (i) {
                    case RspInput.Packet p -> {
                        if (!session.noAck()) {
                            out.write('+');
                        }
                        GdbSession.Action a = session.handle(p.text());
                        switch (a) {
                            case GdbSession.Action.Reply r -> lastSent = send(out, r.payload());
                            case GdbSession.Action.Resume r -> {
                                StopEvent stop = target.resume(r.how());
                                queue.removeIf(e -> e instanceof Input x && x.input() instanceof RspInput.Interrupt);
                                lastSent = send(out, stop.reply());
                            }
                            case GdbSession.Action.Detach d -> {
                                send(out, "OK");
                                return Outcome.DETACHED;
                            }
                            case GdbSession.Action.Kill k -> {
                                return Outcome.KILLED;
                            }
                        }
                    }
                    case RspInput.BadChecksum b -> {
                        if (!session.noAck()) {
                            out.write('-');
                            out.flush();
                        }
                    }
                    case RspInput.Malformed m -> {
                        if (!session.noAck()) {
                            out.write('-');
                            out.flush();
                        } else {
                            lastSent = send(out, "E01");
                        }
                    }
                    case RspInput.Nack n -> {
                        if (lastSent != null && !session.noAck()) {
                            out.write(lastSent);
                            out.flush();
                        }
                    }
                    case RspInput.Ack a -> { }
                    case RspInput.Interrupt x -> { } // already stopped: nothing to interrupt
                }
            }
        } catch (IOException e) {
            return Outcome.DISCONNECTED; // the peer closed while we wrote
        } finally {
            socket.close();
            try {
                reader.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static byte[] send(OutputStream out, String payload) throws IOException {
        byte[] framed = RspCodec.frame(payload);
        out.write(framed);
        out.flush();
        return framed;
    }

    @Override
    public void close() throws IOException {
        server.close();
        Socket s = accepted.getAndSet(null);
        if (s != null) {
            s.close();
        }
        if (acceptor != null) {
            acceptor.interrupt();
        }
    }
}
