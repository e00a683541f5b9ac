package dev.wirelab.emulator.guest;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The default guest against the reference machine: its boot transcript up to
 * "ready" is the same under QEMU virt and under wirelab, and under QEMU a real
 * Linux client exchanges data with its echo and HTTP services
 * (guest/tests/kernel/test-qemu.sh: 1 MiB both ways, many short connections, HTTP).
 */
class DefaultGuestQemuTest {
    static final String READY = "wirelab-guest: ready";

    static Path root() {
        Path p = Path.of(System.getProperty("wirelab.root", "..")).toAbsolutePath().normalize();
        return Files.isRegularFile(p.resolve("scripts/setup")) ? p : p.getParent();
    }

    static Path image() throws IOException {
        Path tmp = Files.createTempFile("wirelab-guest", ".elf");
        tmp.toFile().deleteOnExit();
        try (InputStream in = DefaultGuestQemuTest.class.getResourceAsStream("/guest/kernel/wirelab-guest.elf")) {
            assertTrue(in != null, "default guest not built");
            Files.write(tmp, in.readAllBytes());
        }
        return tmp;
    }

    static boolean qemuPresent() {
        try {
            return new ProcessBuilder("qemu-system-aarch64", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** QEMU's console from power-on through the ready line (then QEMU is stopped). */
    static String qemuBootTranscript(Path elf, int gic) throws Exception {
        Process q = new ProcessBuilder("qemu-system-aarch64", "-M", "virt,gic-version=" + gic, "-cpu", "cortex-a72",
                "-m", "128M", "-display", "none", "-monitor", "none", "-serial", "stdio", "-semihosting",
                "-global", "virtio-mmio.force-legacy=false", "-netdev", "user,id=n0",
                "-device", "virtio-net-device,netdev=n0", "-kernel", elf.toString())
                .redirectErrorStream(true).start();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (InputStream in = q.getInputStream()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int b;
            // Raw bytes: the transcript's line endings are part of what must match.
            while (System.nanoTime() < deadline && (b = in.read()) >= 0) {
                out.write(b);
                String text = out.toString(StandardCharsets.UTF_8);
                int at = text.indexOf(READY);
                if (at >= 0 && text.indexOf('\n', at) >= 0) {
                    break;
                }
            }
        } finally {
            q.destroyForcibly();
            q.waitFor(10, TimeUnit.SECONDS);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String wirelabBootTranscript(Path elf, int gic) {
        try (Board b = Board.create(BoardConfig.defaults().withGicVersion(gic))) {
            b.load(BootImages.load(elf));
            for (int i = 0; i < 500 && !b.console().text().contains(READY); i++) {
                b.run(1_000_000);
            }
            String text = b.console().text();
            int end = text.indexOf('\n', text.indexOf(READY));
            return end < 0 ? text : text.substring(0, end + 1);
        }
    }

    @ParameterizedTest(name = "gic-version={0}")
    @ValueSource(ints = {2, 3})
    void bootTranscriptMatchesQemuUpToReady(int gic) throws Exception {
        assumeTrue(qemuPresent(), "qemu-system-aarch64 not installed");
        Path elf = image();
        String qemu = qemuBootTranscript(elf, gic);
        assertTrue(qemu.contains(READY), "QEMU did not reach ready:\n" + qemu);
        assertEquals(qemu, wirelabBootTranscript(elf, gic));
    }

    @Test
    void realLinuxClientsTalkToTheServicesUnderQemu() throws Exception {
        assumeTrue(qemuPresent(), "qemu-system-aarch64 not installed");
        Path script = root().resolve("guest/tests/kernel/test-qemu.sh");
        // The script wants OUT/kernel/*.{elf,Image}; the images may come from a jar, so copy them out.
        Path out = Files.createTempDirectory("wirelab-guest-out");
        Files.createDirectories(out.resolve("kernel"));
        for (String name : new String[] {"wirelab-guest.elf", "wirelab-guest.Image", "wirelab-guest-testing.elf"}) {
            try (InputStream in = DefaultGuestQemuTest.class.getResourceAsStream("/guest/kernel/" + name)) {
                assertTrue(in != null, "default guest not built: " + name);
                Files.write(out.resolve("kernel").resolve(name), in.readAllBytes());
            }
        }
        Process p = new ProcessBuilder("bash", script.toString(), out.toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(15, TimeUnit.MINUTES), "test-qemu.sh hung");
        System.out.println(log);
        assertEquals(0, p.exitValue(), log);
        assertTrue(log.lines().anyMatch(l -> l.matches("\\d+ passed, 0 failed")), log);
    }
}
