package dev.wirelab.emulator.difftest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a test guest under {@code qemu-system-aarch64 -M virt} (the reference
 * machine) and returns its {@link Transcript}.
 *
 * <p>The PL011 and semihosting share one console: a multiplexed stdio chardev
 * ({@code -chardev stdio,mux=on}) that the serial port and
 * {@code -semihosting-config chardev=} both use. With the plain
 * {@code -nographic -semihosting} pair QEMU 7.2 writes semihosting output to
 * its stderr, which loses the order between the two. There is no monitor on
 * the console, so the console input reaches the guest unchanged, except byte
 * 0x01 (the mux escape, Ctrl-A), which {@link #run} rejects.
 *
 * <p>Anything QEMU itself prints (on stderr) is a failure: {@link QemuError}
 * carries the text. A run that exceeds its hard time limit is killed and
 * reported with {@code timedOut = true} and the console so far.
 */
public final class QemuRunner {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final String executable;
    private final List<String> extraArgs;

    public QemuRunner() {
        this(System.getProperty("wirelab.qemu", "qemu-system-aarch64"));
    }

    public QemuRunner(String executable) {
        this(executable, List.of());
    }

    private QemuRunner(String executable, List<String> extraArgs) {
        this.executable = executable;
        this.extraArgs = List.copyOf(extraArgs);
    }

    /** The same runner with more options on every command line (e.g. {@code -drive if=pflash,...}). */
    public QemuRunner withArgs(String... args) {
        List<String> all = new ArrayList<>(extraArgs);
        all.addAll(List.of(args));
        return new QemuRunner(executable, all);
    }

    /** QEMU printed something of its own or could not start the guest. */
    public static final class QemuError extends IOException {
        private static final long serialVersionUID = 1L;

        QemuError(String message) {
            super(message);
        }
    }

    /** Whether the QEMU executable runs at all (tests skip when it does not). */
    public boolean available() {
        try {
            Process p = new ProcessBuilder(executable, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The full command line for a case. */
    public List<String> command(GuestCase c, Path image) {
        String machine = "virt,gic-version=" + c.gicVersion()
                + (c.has(GuestCase.Flag.PSCI_SMC) ? ",virtualization=on" : "");
        List<String> cmd = new ArrayList<>(List.of(executable,
                "-M", machine,
                "-cpu", "cortex-a72",
                "-m", "128M",
                "-smp", "1",
                "-display", "none",
                "-nic", "none",
                "-monitor", "none",
                "-chardev", "stdio,mux=on,id=con0,signal=off",
                "-serial", "chardev:con0",
                "-semihosting-config", "enable=on,target=native,chardev=con0"));
        if (c.has(GuestCase.Flag.NO_REBOOT)) {
            cmd.add("-no-reboot");
        }
        cmd.addAll(extraArgs);
        cmd.add(c.boot().qemuOption());
        cmd.add(image.toString());
        return cmd;
    }

    public Transcript run(GuestCase c, Path image, byte[] stdin) throws IOException, InterruptedException {
        return run(c, image, stdin, DEFAULT_TIMEOUT);
    }

    public Transcript run(GuestCase c, Path image, byte[] stdin, Duration timeout)
            throws IOException, InterruptedException {
        for (byte b : stdin) {
            if (b == 0x01) {
                throw new IllegalArgumentException("console input may not contain 0x01 (QEMU's mux escape)");
            }
        }
        List<String> cmd = command(c, image);
        // Output goes to files, not pipes: nothing to drain, and a killed QEMU leaves what it wrote.
        Path out = Files.createTempFile("wirelab-qemu", ".out");
        Path err = Files.createTempFile("wirelab-qemu", ".err");
        Process p = null;
        try {
            p = new ProcessBuilder(cmd)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile())
                    .start();
            OutputStream input = p.getOutputStream();
            Thread.ofVirtual().start(() -> feed(input, stdin));   // never blocks the time limit
            boolean exited = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor();
            }
            byte[] console = Files.readAllBytes(out);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (!stderr.isEmpty()) {
                throw new QemuError("QEMU printed on stderr ("
                        + (exited ? "exit code " + p.exitValue() : "killed after " + timeout) + "):\n" + stderr
                        + "\ncommand: " + String.join(" ", cmd)
                        + "\nconsole:\n" + new String(console, StandardCharsets.ISO_8859_1));
            }
            return new Transcript(console, exited ? p.exitValue() : -1, !exited);
        } finally {
            if (p != null) {
                p.destroyForcibly();
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Writes the console input and closes QEMU's stdin; a guest that exits without reading it is fine. */
    private static void feed(OutputStream in, byte[] stdin) {
        try (in) {
            in.write(stdin);
        } catch (IOException e) {
            // QEMU exited (or closed stdin) before taking all input: the transcript shows what the guest read.
        }
    }
}
