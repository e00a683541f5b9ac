package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.time.VirtualClock;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bulk TCP through the default guest's echo service: boots the guest to ready,
 * sends N bytes on port 7 from the host TCP and reads them back, and reports
 * frames/s and MiB/s both per second of wall-clock time (how fast wirelab
 * emulates) and per second of virtual time (how fast the guest's stack is on
 * the virtual machine). The payload is a fixed pattern and everything runs on
 * virtual time, so the virtual numbers are the same on every machine; only the
 * wall-clock ones vary.
 *
 * <pre>
 * java -cp ... dev.wirelab.emulator.net.NetBench [--bytes N] [--runs N] [--image wirelab-guest.elf]
 * </pre>
 * Without {@code --image} the guest is taken from the classpath
 * ({@code /guest/kernel/wirelab-guest.elf}, in the wirelab-guest jar).
 */
public final class NetBench {
    public static final String DEFAULT_IMAGE = "/guest/kernel/wirelab-guest.elf";

    /**
     * One measurement. Wall and CPU times are host nanoseconds, only used for the report: CPU time is the
     * measuring thread's (everything runs on it), the figure to compare on a loaded machine, where wall
     * time mostly measures the other processes.
     */
    public record Result(long bytes, long frames, long instructions, long virtualNanos, long wallNanos, long cpuNanos,
                         boolean intact) {
        public double wallSeconds() {
            return wallNanos / 1e9;
        }

        public double virtualSeconds() {
            return virtualNanos / 1e9;
        }

        public double cpuSeconds() {
            return cpuNanos / 1e9;
        }

        /** Payload moved in both directions, in MiB. */
        public double mebibytes() {
            return 2.0 * bytes / (1 << 20);
        }

        @Override
        public String toString() {
            return String.format("echo %d bytes each way (%s), %d frames, %d M instructions%n"
                            + "  wall:    %.3f s  %,.0f frames/s  %.2f MiB/s  %.0f M insn/s%n"
                            + "  cpu:     %.3f s  %,.0f frames/s  %.2f MiB/s  (this thread's CPU time)%n"
                            + "  virtual: %.6f s  %,.0f frames/s  %.2f MiB/s",
                    bytes, intact ? "intact" : "CORRUPTED", frames, instructions / 1_000_000, wallSeconds(),
                    frames / wallSeconds(), mebibytes() / wallSeconds(), instructions / 1e6 / wallSeconds(),
                    cpuSeconds(), frames / cpuSeconds(), mebibytes() / cpuSeconds(),
                    virtualSeconds(), frames / virtualSeconds(), mebibytes() / virtualSeconds());
        }
    }

    private NetBench() {
    }

    /** Boots {@code image} and measures an echo of {@code bytes} bytes (what the CLI calls). */
    public static Result run(byte[] image, long bytes) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bench size " + bytes + " bytes: use 1 .. 2 GiB");
        }
        try (Board board = Board.create(BoardConfig.defaults())) {
            VirtualWire wire = VirtualWire.attach(board);
            board.load(BootImages.parse("wirelab-guest.elf", image));
            Stop ready = board.run(RunUntil.budget(2_000_000_000L).printed("wirelab-guest: ready"));
            if (ready.cause() != StopCause.CONSOLE_MATCH) {
                throw new IllegalStateException("guest did not reach ready: " + ready + "\n" + board.console().text());
            }
            byte[] data = new byte[(int) bytes];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 131 + (i >>> 8));
            }
            long frames0 = wire.stats().guestFrames() + wire.stats().injected();
            long insn0 = board.clock().instructions();
            long nanos0 = board.clock().nanos();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long wall0 = System.nanoTime();
            long cpu0 = threads.getCurrentThreadCpuTime();
            TcpConnection c = wire.tcp().connect(VirtualWire.GUEST_IP, 7);
            c.send(data);
            long budget = Math.max(VirtualWire.DEFAULT_WAIT_TICKS, bytes * 64_000L);
            wire.runUntil("echo of " + bytes + " bytes", () -> c.received() >= bytes || c.isClosed(), budget,
                    Long.MAX_VALUE / 4).orThrow();
            c.close();
            wire.runUntil("close", c::isClosed, VirtualWire.DEFAULT_WAIT_TICKS, Long.MAX_VALUE / 4).orThrow();
            long wall = System.nanoTime() - wall0;
            long cpu = threads.getCurrentThreadCpuTime() - cpu0;
            boolean intact = Arrays.equals(data, c.read());
            return new Result(bytes, wire.stats().guestFrames() + wire.stats().injected() - frames0,
                    board.clock().instructions() - insn0, board.clock().nanos() - nanos0, wall, cpu, intact);
        }
    }

    static byte[] defaultImage() throws IOException {
        try (InputStream in = NetBench.class.getResourceAsStream(DEFAULT_IMAGE)) {
            if (in == null) {
                throw new IOException("no " + DEFAULT_IMAGE + " on the classpath: pass --image PATH");
            }
            return in.readAllBytes();
        }
    }

    public static void main(String[] args) throws IOException {
        long bytes = 4L << 20;
        int runs = 1;
        Path image = null;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--bytes" -> bytes = Long.parseLong(args[++i]);
                    case "--runs" -> runs = Integer.parseInt(args[++i]);
                    case "--image" -> image = Path.of(args[++i]);
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
        } catch (RuntimeException e) {
            System.err.println("NetBench: " + e.getMessage() + "; usage: NetBench [--bytes N] [--runs N] [--image wirelab-guest.elf]");
            System.exit(2);
        }
        byte[] img = image == null ? defaultImage() : Files.readAllBytes(image);
        PrintStream out = System.out;
        boolean intact = true;
        // Later runs show the steady state (the JIT has compiled the host side by then).
        for (int i = 0; i < Math.max(1, runs); i++) {
            Result r = run(img, bytes);
            out.println(r);
            intact &= r.intact();
        }
        out.printf("  (virtual clock %d Hz)%n", VirtualClock.FREQUENCY_HZ);
        System.exit(intact ? 0 : 1);
    }
}
