package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.net.TcpConnection;
import dev.wirelab.emulator.net.VirtualWire;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The done-when: GDB breaks in lwIP's tcp_input of the default guest during a TCP echo,
 * reads the segment's header through the pbuf pointer, steps back 100 instructions and forward
 * again to the same registers and the same trace hash.
 */
class GdbDefaultGuestTest {
    @Test
    void tcpInputBackAndForthIsTheSameState() throws Exception {
        assumeTrue(GdbBatch.available(), "gdb-multiarch is not installed (scripts/setup installs it)");
        Path elf = Files.createTempFile("wirelab-guest", ".elf");
        try (InputStream in = getClass().getResourceAsStream("/guest/kernel/wirelab-guest.elf")) {
            assumeTrue(in != null, "the default guest is not on the class path");
            Files.write(elf, in.readAllBytes());
        }
        ExecutorService exec = Executors.newSingleThreadExecutor();
        try (Board board = Board.create(BoardConfig.defaults()); GdbServer server = GdbServer.listen("127.0.0.1", 0)) {
            VirtualWire wire = VirtualWire.attach(board);
            board.load(BootImages.load(elf));
            board.run(dev.wirelab.emulator.board.RunUntil.budget(500_000_000).printed("wirelab-guest: ready"));
            TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
            c.send("hello from the wire"); // queued: the guest sees it once GDB lets the machine run
            Future<GdbStub.Result> serving = exec.submit(() -> GdbStub.serve(board, wire, server, null));
            String out = GdbBatch.run(elf, server.port(), List.of(
                    "break *tcp_input if ((struct pbuf *)$x0)->tot_len > 20",
                    "continue",
                    "printf \"len=%d\\n\", ((struct pbuf *)$x0)->tot_len",
                    "p/x *(struct tcp_hdr *)((struct pbuf *)$x0)->payload",
                    "printf \"dest=%d\\n\", ((((struct tcp_hdr *)((struct pbuf *)$x0)->payload)->dest & 0xff) << 8)"
                            + " | (((struct tcp_hdr *)((struct pbuf *)$x0)->payload)->dest >> 8)",
                    "printf \"at=%lx %lx %lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x1, $x29, $x30",
                    "monitor trace hash",
                    "monitor time",
                    "delete",
                    "reverse-stepi 100",
                    "printf \"back=%lx %lx %lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x1, $x29, $x30",
                    "monitor time",
                    "stepi 100",
                    "printf \"again=%lx %lx %lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x1, $x29, $x30",
                    "monitor trace hash",
                    "monitor time",
                    "monitor history",
                    "detach"));
            System.out.println(out);
            assertEquals("7", GdbBatch.value(out, "dest"));
            assertTrue(Integer.parseInt(GdbBatch.value(out, "len")) >= 20 + "hello from the wire".length(), out);
            assertEquals(GdbBatch.value(out, "at"), GdbBatch.value(out, "again"));
            assertNotEquals(GdbBatch.value(out, "at"), GdbBatch.value(out, "back"));
            List<String> hashes = out.lines().filter(l -> l.startsWith("trace hash ")).toList();
            assertEquals(2, hashes.size(), out);
            assertEquals(hashes.get(0), hashes.get(1));
            List<String> times = out.lines().filter(l -> l.startsWith("instructions ")).toList();
            long at = Long.parseLong(times.get(0).split("[ ,]+")[1]);
            long back = Long.parseLong(times.get(1).split("[ ,]+")[1]);
            assertEquals(at - 100, back);
            assertEquals(times.get(0), times.get(2));
            assertEquals(GdbServer.Outcome.DETACHED, serving.get(60, TimeUnit.SECONDS).outcome());
            // The machine goes on after GDB: the echo still comes back.
            c.awaitReceived("hello from the wire".length());
            assertEquals("hello from the wire", c.readString());
        } finally {
            exec.shutdownNow();
            Files.deleteIfExists(elf);
        }
    }
}
