package dev.wirelab.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Debian's arm64 kernel (linux-image-*-arm64, fetched by scripts/fetch-debian-kernel into
 * .cache/debian-kernel) boots to a test-built initramfs whose static /init prints a line and powers
 * off, under {@code wirelab boot --initrd} (exit 0, the same trace hash twice) and under QEMU; without
 * an initrd it panics and exits 123. Skipped, saying so, when the kernel cannot be fetched.
 */
class DebianKernelBootTest {
    private static final String APPEND = "console=ttyAMA0 panic=-1";
    private static final String INIT_LINE = "wirelab-init: hello from userspace";
    private static Path kernel;

    @TempDir
    Path dir;

    @BeforeAll
    static void fetchKernel() throws Exception {
        kernel = FetchedImage.get("fetch-debian-kernel", "debian-kernel/vmlinuz", "Debian's linux-image-*-arm64");
    }

    private String initramfs() throws IOException {
        byte[] init;
        try (var in = DebianKernelBootTest.class.getResourceAsStream("/guest/tests/linux_init")) {
            assumeTrue(in != null, "linux_init is not on the classpath (guest module not built)");
            init = in.readAllBytes();
        }
        return Cli.write(dir, "initramfs.cpio", Initramfs.withInit(init));
    }

    private static String hash(Cli.Result r) {
        Matcher m = Pattern.compile("trace-hash: ([0-9a-f]+)").matcher(r.out());
        assertTrue(m.find(), r::toString);
        return m.group(1);
    }

    /** The kernel's lines from its banner on, without timestamps; lines that depend on the host or the CPU model dropped. */
    static List<String> fromBanner(String console) {
        List<String> out = new ArrayList<>();
        boolean banner = false;
        for (String line : console.replace("\r", "").split("\n")) {
            String l = line.replaceFirst("^\\[ *[0-9]+\\.[0-9]+\\] ", "");
            banner |= l.startsWith("Linux version ");
            if (banner && (l.startsWith("Linux version ") || l.startsWith("Kernel command line:")
                    || l.startsWith("Machine model:") || l.startsWith("Run /init") || l.startsWith("wirelab-init:")
                    || l.startsWith("reboot:") || l.startsWith("Kernel panic"))) {
                out.add(l);
            }
        }
        return out;
    }

    @Test
    void bootsToInitAndPowersOffTheSameTwiceAndAsUnderQemu() throws Exception {
        String rd = initramfs();
        Cli.Result first = Cli.run("boot", kernel.toString(), "--initrd", rd, "--append", APPEND, "--trace-hash");
        assertEquals(0, first.code(), first::toString);
        assertTrue(first.out().contains(INIT_LINE), first::toString);
        Cli.Result second = Cli.run("boot", kernel.toString(), "--initrd", rd, "--append", APPEND, "--trace-hash");
        assertEquals(hash(first), hash(second), "deterministic boot");

        List<String> ours = fromBanner(first.out());
        assertTrue(ours.contains("reboot: Power down"), ours::toString);
        Process q = new ProcessBuilder("qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72",
                "-m", "128M", "-smp", "1", "-display", "none", "-nic", "none", "-monitor", "none", "-serial", "stdio",
                "-no-reboot", "-kernel", kernel.toString(), "-initrd", rd, "-append", APPEND)
                .redirectError(ProcessBuilder.Redirect.DISCARD).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        q.getOutputStream().close();
        String qemuOut;
        try {
            qemuOut = new String(q.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            q.waitFor(2, TimeUnit.MINUTES);
        } catch (IOException e) {
            q.destroyForcibly();
            throw e;
        }
        assumeTrue(!qemuOut.isEmpty(), "qemu-system-aarch64 printed nothing (not installed?): QEMU half skipped");
        assertEquals(fromBanner(qemuOut), ours);
    }

    @Test
    void withoutRootItPanicsAndExits123WithThePanicLine() {
        Cli.Result r = Cli.run("boot", kernel.toString(), "--append", APPEND);
        assertEquals(123, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("guest panic:") && r.err().contains("Kernel panic - not syncing: VFS: Unable to mount root fs"),
                r::toString);
    }
}
