package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Real gdb-multiarch against the stub serving a test guest (timer_irq: IRQs, a counter in memory). */
class GdbStubRealGdbTest {
    private Path elf;
    private Board board;
    private GdbServer server;
    private ExecutorService exec;
    private Future<GdbStub.Result> serving;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(GdbBatch.available(), "gdb-multiarch is not installed (scripts/setup installs it)");
        elf = Files.createTempFile("timer_irq", ".elf");
        try (InputStream in = getClass().getResourceAsStream("/guest/tests/timer_irq.elf")) {
            Files.write(elf, in.readAllBytes());
        }
        board = Board.create(BoardConfig.defaults());
        board.load(BootImages.load(elf));
        server = GdbServer.listen("127.0.0.1", 0);
        exec = Executors.newSingleThreadExecutor();
        serving = exec.submit(() -> GdbStub.serve(board, null, server, null));
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            exec.shutdownNow();
            exec.awaitTermination(10, TimeUnit.SECONDS);
            board.close();
            Files.deleteIfExists(elf);
        }
    }

    private String gdb(String... commands) throws Exception {
        String out = GdbBatch.run(elf, server.port(), List.of(commands));
        System.out.println(out);
        return out;
    }

    @Test
    void breakContinueRegistersMemoryStep() throws Exception {
        String out = gdb(
                "break *exc_handler",
                "continue",
                "printf \"pc=%lx\\n\", $pc",
                "printf \"sym=%lx\\n\", &exc_handler",
                "printf \"ticks=%d\\n\", *(unsigned int *)&ticks",
                "set $x5 = 0x1234",
                "printf \"x5=%lx\\n\", $x5",
                "stepi",
                "printf \"pc2=%lx\\n\", $pc",
                "printf \"x5b=%lx\\n\", $x5",
                "info registers cpsr",
                "p $v0",
                "detach");
        assertEquals(GdbBatch.value(out, "sym"), GdbBatch.value(out, "pc"));
        assertEquals("0", GdbBatch.value(out, "ticks"));
        assertEquals("1234", GdbBatch.value(out, "x5"));
        assertEquals(Long.parseLong(GdbBatch.value(out, "pc"), 16) + 4, Long.parseLong(GdbBatch.value(out, "pc2"), 16));
        assertEquals(GdbStub.Result.class, serving.get(30, TimeUnit.SECONDS).getClass());
    }

    @Test
    void reverseStepiReturnsToTheSamePcAndRegisters() throws Exception {
        String out = gdb(
                "break *exc_handler",
                "continue",
                "printf \"a=%lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x30",
                "stepi 7",
                "printf \"b=%lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x30",
                "reverse-stepi 7",
                "printf \"c=%lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x30",
                "stepi 7",
                "printf \"d=%lx %lx %lx %lx\\n\", $pc, $sp, $x0, $x30",
                "detach");
        assertEquals(GdbBatch.value(out, "a"), GdbBatch.value(out, "c"));
        assertEquals(GdbBatch.value(out, "b"), GdbBatch.value(out, "d"));
        assertNotEquals(GdbBatch.value(out, "a"), GdbBatch.value(out, "b"));
    }

    @Test
    void reverseContinueGoesBackToTheEarlierBreakpointHit() throws Exception {
        String out = gdb(
                "break *exc_handler",
                "continue",
                "printf \"t1=%d\\n\", *(unsigned int *)&ticks",
                "monitor time",
                "continue",
                "printf \"t2=%d\\n\", *(unsigned int *)&ticks",
                "reverse-continue",
                "printf \"t3=%d\\n\", *(unsigned int *)&ticks",
                "printf \"pc3=%lx\\n\", $pc",
                "printf \"sym=%lx\\n\", &exc_handler",
                "monitor time",
                "detach");
        assertEquals("0", GdbBatch.value(out, "t1"));
        assertEquals("1", GdbBatch.value(out, "t2"));
        assertEquals("0", GdbBatch.value(out, "t3"));
        assertEquals(GdbBatch.value(out, "sym"), GdbBatch.value(out, "pc3"));
    }

    @Test
    void watchpointOnTheTickCounter() throws Exception {
        String out = gdb(
                "watch *(unsigned int *)&ticks",
                "continue",
                "printf \"w1=%d\\n\", *(unsigned int *)&ticks",
                "printf \"wpc=%lx\\n\", $pc",
                "continue",
                "printf \"w2=%d\\n\", *(unsigned int *)&ticks",
                "detach");
        assertEquals("1", GdbBatch.value(out, "w1"));
        assertEquals("2", GdbBatch.value(out, "w2"));
        assertTrue(out.contains("Hardware watchpoint"), out);
    }
}
