package dev.wirelab.cli.bench;

import dev.wirelab.emulator.board.BoardConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code qemu-system-aarch64 -M virt} started the way the differential tests
 * start it (one mux stdio chardev shared by the PL011 and semihosting, so a
 * guest's semihosting exit works and nothing goes to a monitor), for timing
 * the same guest images.
 */
final class Qemu {
    private static final long TIMEOUT_SECONDS = 300;
    private final String executable;
    private final String version;

    private Qemu(String executable, String version) {
        this.executable = executable;
        this.version = version;
    }

    /** The QEMU at {@code executable} (a name on PATH or a path), if it runs. */
    static Optional<Qemu> find(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            p.getOutputStream().close();
            String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String first = text.lines().findFirst().orElse(executable);
            // "QEMU emulator version 7.2.15 (Debian 1:7.2+dfsg-7+deb12u16)" -> "QEMU 7.2.15"
            String v = first.replaceFirst("^QEMU emulator version (\\S+).*$", "QEMU $1");
            return Optional.of(new Qemu(executable, v));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    String version() {
        return version;
    }

    List<String> command(BoardConfig config, Path elf) {
        return command(config, elf, false);
    }

    /**
     * With {@code icount}: QEMU's deterministic mode ({@code -icount shift=0,sleep=off}, one
     * instruction per virtual nanosecond, no sleeping), the peer wirelab's exact time compares with.
     */
    List<String> command(BoardConfig config, Path elf, boolean icount) {
        List<String> cmd = new ArrayList<>(List.of(executable,
                "-M", "virt,gic-version=" + config.gicVersion(),
                "-cpu", config.cpuMax() ? "max" : "cortex-a72",
                "-m", (config.ramSize() % (1 << 20) == 0 ? (config.ramSize() >> 20) + "M" : (config.ramSize() >> 10) + "K"),
                "-smp", "1",
                "-display", "none",
                "-nic", "none",
                "-monitor", "none",
                "-chardev", "stdio,mux=on,id=con0,signal=off",
                "-serial", "chardev:con0",
                "-semihosting-config", "enable=on,target=native,chardev=con0",
                "-kernel", elf.toString()));
        if (icount) {
            cmd.addAll(List.of("-icount", "shift=0,sleep=off"));
        }
        return cmd;
    }

    /** Wall time of one QEMU process running {@code elf} to its exit, start-up included. */
    long time(BoardConfig config, Path elf) throws IOException, InterruptedException {
        return time(config, elf, false);
    }

    /** As {@link #time(BoardConfig, Path)}, in deterministic mode when {@code icount}. */
    long time(BoardConfig config, Path elf, boolean icount) throws IOException, InterruptedException {
        List<String> cmd = command(config, elf, icount);
        Path out = Files.createTempFile("wirelab-bench", ".out");
        Path err = Files.createTempFile("wirelab-bench", ".err");
        try {
            long start = System.nanoTime();
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            long nanos = System.nanoTime() - start;
            if (!done) {
                p.destroyForcibly();
                throw new IOException("QEMU ran " + elf.getFileName() + " for over " + TIMEOUT_SECONDS + " s; killed it");
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || !stderr.isEmpty()) {
                throw new IOException("QEMU exited with " + p.exitValue() + " on " + elf.getFileName()
                        + (stderr.isEmpty() ? "" : ": " + stderr.lines().findFirst().orElse("")));
            }
            return nanos;
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
