package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The same GDB session against QEMU's gdbstub ({@code qemu-system-aarch64 -M virt -S -gdb}) and
 * against ours, on the same test guest: where the features overlap the answers are the same
 * (the target description's registers, a breakpoint's registers and memory, a step, a watchpoint).
 */
class GdbQemuDifferentialTest {
    private static final List<String> SESSION = List.of(
            "printf \"start=%lx\\n\", $pc",
            "break *exc_handler",
            "continue",
            "printf \"bp=%lx %lx %lx %lx\\n\", $pc, $sp, $x1, $x30",
            "printf \"frame=%lx\\n\", (long)$x0 - (long)$sp",
            "printf \"code=%x %x\\n\", *(unsigned int *)$pc, *(unsigned int *)($pc + 4)",
            "printf \"ticks=%d\\n\", *(unsigned int *)&ticks",
            "printf \"el=%lx\\n\", ((long)$cpsr >> 2) & 3",
            "printf \"fp=%lx %lx\\n\", (long)$fpsr, (long)$fpcr",
            "printf \"nregs=%d\\n\", sizeof($v31)",
            "stepi",
            "printf \"step=%lx %lx\\n\", $pc, $sp",
            "delete",
            "watch *(unsigned int *)&ticks",
            "continue",
            "printf \"watch=%lx %d\\n\", $pc, *(unsigned int *)&ticks",
            "delete",
            "detach");

    private static List<String> tagged(String out) {
        List<String> l = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (line.matches("^[a-z]+=.*")) {
                l.add(line.trim());
            }
        }
        return l;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void sameAnswersAsQemu() throws Exception {
        assumeTrue(GdbBatch.available(), "gdb-multiarch is not installed");
        assumeTrue(new dev.wirelab.emulator.difftest.QemuRunner().available(), "qemu-system-aarch64 is not installed");
        Path elf = Files.createTempFile("timer_irq", ".elf");
        try (InputStream in = getClass().getResourceAsStream("/guest/tests/timer_irq.elf")) {
            Files.write(elf, in.readAllBytes());
        }
        try {
            String ours;
            ExecutorService exec = Executors.newSingleThreadExecutor();
            try (Board board = Board.create(BoardConfig.defaults()); GdbServer server = GdbServer.listen("127.0.0.1", 0)) {
                board.load(BootImages.load(elf));
                var serving = exec.submit(() -> GdbStub.serve(board, null, server, null));
                ours = GdbBatch.run(elf, server.port(), SESSION);
                serving.get(60, TimeUnit.SECONDS);
            } finally {
                exec.shutdownNow();
            }
            int port = freePort();
            Process qemu = new ProcessBuilder("qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72",
                    "-m", "128M", "-smp", "1", "-display", "none", "-nic", "none", "-monitor", "none", "-serial", "null",
                    "-semihosting-config", "enable=on,target=native", "-kernel", elf.toString(),
                    "-S", "-gdb", "tcp:127.0.0.1:" + port).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String theirs;
            try {
                waitForPort(port, qemu);
                theirs = GdbBatch.run(elf, port, SESSION);
            } finally {
                qemu.destroyForcibly();
                qemu.waitFor(30, TimeUnit.SECONDS);
            }
            System.out.println("--- wirelab\n" + ours + "\n--- qemu\n" + theirs);
            List<String> a = tagged(ours);
            List<String> b = tagged(theirs);
            assertEquals(10, b.size(), theirs);
            assertFalse(a.isEmpty());
            assertEquals(b, a);
        } finally {
            Files.deleteIfExists(elf);
        }
    }

    /** QEMU opens its gdb port a moment after it starts: connect attempts, bounded by QEMU staying alive. */
    private static void waitForPort(int port, Process qemu) throws Exception {
        for (int i = 0; i < 400 && qemu.isAlive(); i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new IOException("QEMU did not open its gdb port " + port);
    }
}
