package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hostile or broken client over a real socket, against a real board: the stub answers with the
 * protocol's error replies, ends the session when the client goes, and the board stays usable.
 */
class GdbServerHostileTest {
    private Board board;
    private GdbServer server;
    private ExecutorService exec;
    private Future<GdbStub.Result> serving;

    @BeforeEach
    void start() throws Exception {
        board = TestGuests.board("bench_compute.elf");
        server = GdbServer.listen("127.0.0.1", 0);
        exec = Executors.newSingleThreadExecutor();
        serving = exec.submit(() -> GdbStub.serve(board, null, server, null));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        exec.shutdownNow();
        exec.awaitTermination(10, TimeUnit.SECONDS);
        board.close();
    }

    /** Reads until {@code n} framed packets (or acks) have arrived; returns them as text. */
    private static String readPackets(InputStream in, int packets) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int seen = 0;
        int afterHash = -1;
        while (seen < packets) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
            if (afterHash >= 0) {
                if (++afterHash == 2) {
                    seen++;
                    afterHash = -1;
                }
            } else if (c == '#') {
                afterHash = 0;
            } else if ((c == '-' || c == '+') && b.size() == 1) {
                seen++;
                b.write(' ');
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static void send(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    @Test
    void badChecksumGetsANackAndTheSessionGoesOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            send(s.getOutputStream(), "$g#00");
            assertEquals("- ", readPackets(s.getInputStream(), 1));
            send(s.getOutputStream(), new String(RspCodec.frame("qAttached"), StandardCharsets.ISO_8859_1));
            assertEquals("+ $1#31", readPackets(s.getInputStream(), 2));
        }
        assertEquals(GdbServer.Outcome.DISCONNECTED, serving.get(30, TimeUnit.SECONDS).outcome());
    }

    @Test
    void oversizedPacketIsRefusedAndUnknownPacketsGetTheEmptyReply() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            send(s.getOutputStream(), new String(RspCodec.frame("M40000000,1:" + "00".repeat(100_000)),
                    StandardCharsets.ISO_8859_1));
            assertEquals("- ", readPackets(s.getInputStream(), 1));
            send(s.getOutputStream(), new String(RspCodec.frame("qNoSuchThing"), StandardCharsets.ISO_8859_1));
            assertEquals("+ $#00", readPackets(s.getInputStream(), 2));
            send(s.getOutputStream(), new String(RspCodec.frame("D"), StandardCharsets.ISO_8859_1));
            assertEquals("+ $OK#9a", readPackets(s.getInputStream(), 2));
        }
        assertEquals(GdbServer.Outcome.DETACHED, serving.get(30, TimeUnit.SECONDS).outcome());
    }

    @Test
    void disconnectMidPacketEndsTheSessionAndTheBoardRunsOn() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            send(s.getOutputStream(), "$m4000");
        }
        assertEquals(GdbServer.Outcome.DISCONNECTED, serving.get(30, TimeUnit.SECONDS).outcome());
        long before = board.clock().instructions();
        board.run(1000);
        assertEquals(before + 1000, board.clock().instructions());
    }

    @Test
    void ctrlCInterruptsARunningGuest() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            send(s.getOutputStream(), "+" + new String(RspCodec.frame("QStartNoAckMode"), StandardCharsets.ISO_8859_1));
            assertEquals("+ $OK#9a", readPackets(s.getInputStream(), 2));
            send(s.getOutputStream(), new String(RspCodec.frame("c"), StandardCharsets.ISO_8859_1) + "\u0003");
            String stop = readPackets(s.getInputStream(), 1);
            assertTrue(stop.startsWith("$T02"), stop);
            send(s.getOutputStream(), new String(RspCodec.frame("D"), StandardCharsets.ISO_8859_1));
            assertEquals("$OK#9a", readPackets(s.getInputStream(), 1));
        }
        assertEquals(GdbServer.Outcome.DETACHED, serving.get(30, TimeUnit.SECONDS).outcome());
        long before = board.clock().instructions();
        board.run(1000);
        assertEquals(before + 1000, board.clock().instructions()); // given back whole: no stop left behind
    }
}
