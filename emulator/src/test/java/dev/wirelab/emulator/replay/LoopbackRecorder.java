package dev.wirelab.emulator.replay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Records a real TCP echo exchange on 127.0.0.1 with tcpdump (test helper): a Java
 * ServerSocket echoes what a client sends, tcpdump writes classic pcap on {@code lo}.
 * Every step is bounded in time. {@link #record} returns null, with the reason in
 * {@link #skipReason}, where tcpdump or root is missing.
 *
 * <p>Regenerate {@code corpora/captures/echo-lo.pcap} with
 * {@code LoopbackRecorder.main(path)} (as root, tcpdump installed).
 */
final class LoopbackRecorder {
    static String skipReason = "needs tcpdump and root";

    record Recording(Path file, int serverPort) { }

    private LoopbackRecorder() { }

    static Recording record(Path out, byte[] message) throws Exception {
        return record(out, message, "lo");
    }

    /** On {@code iface}: "lo" gives Ethernet frames, "any" Linux cooked (SLL2) ones. */
    static Recording record(Path out, byte[] message, String iface) throws Exception {
        if (!onPath("tcpdump") || !"0".equals(run("id", "-u"))) {
            return null;
        }
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(loopback, 0));
            int port = server.getLocalPort();
            Process dump = new ProcessBuilder("tcpdump", "-n", "-U", "--immediate-mode", "-i", iface, "-w", out.toString(),
                    "tcp port " + port).redirectErrorStream(true).start();
            try {
                if (!awaitListening(dump)) {
                    return null;
                }
                Thread echo = Thread.ofPlatform().start(() -> {
                    try (Socket s = server.accept()) {
                        s.setSoTimeout(5000);
                        InputStream in = s.getInputStream();
                        OutputStream o = s.getOutputStream();
                        o.write(in.readNBytes(message.length));
                        o.flush();
                        // wait for the client's FIN, then close: the recorded server closes second, as an echo server does
                        in.read();
                    } catch (IOException e) {
                        // the client side notices
                    }
                });
                try (Socket c = new Socket()) {
                    c.connect(new InetSocketAddress(loopback, port), 5000);
                    c.setSoTimeout(5000);
                    c.getOutputStream().write(message);
                    byte[] back = c.getInputStream().readNBytes(message.length);
                    if (!Arrays.equals(back, message)) {
                        throw new IOException("the loopback echo returned other bytes");
                    }
                }
                echo.join(5000);
                Thread.sleep(1200); // libpcap hands over ring blocks on a timeout
            } finally {
                dump.destroy();
                if (!dump.waitFor(10, TimeUnit.SECONDS)) {
                    dump.destroyForcibly();
                }
            }
            return Files.size(out) > 24 ? new Recording(out, port) : null;
        }
    }

    private static boolean awaitListening(Process p) throws Exception {
        InputStream in = p.getInputStream();
        StringBuilder seen = new StringBuilder();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.toString().contains("listening on") && System.nanoTime() < deadline) {
            if (in.available() > 0) {
                seen.append((char) in.read());
            } else if (!p.isAlive()) {
                skipReason = "tcpdump exited: " + seen;
                return false;
            } else {
                Thread.sleep(10);
            }
        }
        if (!seen.toString().contains("listening on")) {
            skipReason = "tcpdump did not start: " + seen;
            return false;
        }
        Thread.ofVirtual().start(() -> {
            try {
                in.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                // ignore
            }
        });
        return true;
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            return p.waitFor(10, TimeUnit.SECONDS) ? out : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Writes a fresh recording to {@code args[0]} and prints the server port. */
    public static void main(String[] args) throws Exception {
        Recording r = record(Path.of(args[0]), "hello wirelab\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        System.out.println(r == null ? "skipped: " + skipReason : "server port " + r.serverPort());
    }
}
