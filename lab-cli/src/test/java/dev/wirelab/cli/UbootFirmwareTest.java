package dev.wirelab.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Real firmware nobody here wrote: Debian's U-Boot for QEMU virt (u-boot-qemu, fetched by
 * scripts/fetch-uboot) probes the CFI flash, keeps its environment in flash bank 1 (saved in one
 * boot, read back in the next), gets an address by DHCP and loads a file by TFTP over the virtual
 * wire, driven by --expect/--send. The same dialogue under QEMU gives the same key lines. Skipped,
 * saying so, when the package cannot be fetched.
 */
class UbootFirmwareTest {
    private static Path uboot;

    @TempDir
    Path dir;

    @BeforeAll
    static void fetch() throws Exception {
        uboot = FetchedImage.get("fetch-uboot", "u-boot/u-boot.bin", "Debian's u-boot-qemu");
    }

    private static final String FIRST = "setenv wirelab 42; saveenv; setenv autoload no; dhcp; tftpboot 0x40400000 hello.txt; md.b 0x40400000 0x10;"
            + " tftpboot 0x40400000 missing.txt\r";
    private static final String SECOND = "printenv wirelab\r";

    /** Lines both machines must print (timings and device counts aside). */
    private static final List<String> KEY_LINES = List.of("Flash: 64 MiB", "Saving Environment to Flash...",
            "DHCP client bound to address 10.0.2.15",
            "Bytes transferred = 30 (1e hex)", "40400000: 68 65 6c 6c 6f 20 6f 76 65 72 20 74 66 74 70 20  hello over tftp ",
            "TFTP error: 'File not found' (1)");

    private Path files() throws IOException {
        Path tftp = Files.createDirectories(dir.resolve("tftp"));
        Files.writeString(tftp.resolve("hello.txt"), "hello over tftp from the host\n");
        return tftp;
    }

    private Cli.Result wirelab(Path env, Path tftp, String command) {
        return Cli.run("boot", uboot.toString(), "--flash1", env.toString(), "--flash-rw", "--tftp", tftp.toString(),
                "--expect", "Hit any key to stop autoboot", "--send", " ", "--expect", "=> ", "--send", command,
                "--expect", "=> ", "--send", "poweroff\r", "--max-insns", "5000000000");
    }

    @Test
    void savesItsEnvironmentInFlashAndLoadsAFileByTftp() throws Exception {
        Path tftp = files();
        Path env = dir.resolve("env.img");
        Files.write(env, new byte[64 << 20]);
        Cli.Result first = wirelab(env, tftp, FIRST);
        assertEquals(0, first.code(), first::toString);
        for (String line : KEY_LINES) {
            assertTrue(first.out().contains(line), "missing '" + line + "':\n" + first);
        }
        Cli.Result second = wirelab(env, tftp, SECOND);
        assertEquals(0, second.code(), second::toString);
        assertTrue(second.out().contains("wirelab=42"), "the environment came back from flash:\n" + second);
        assertFalse(second.out().contains("bad CRC"), second::toString);

        // The same dialogue under QEMU: the same key lines. (Its saveenv itself fails under Debian's QEMU 7.2,
        // "Flash buffer write timeout at address 4020000": QEMU issue 2343, a write buffer opened at the count
        // write, fixed upstream; wirelab opens it at the first data word as fixed QEMU does.)
        Path qenv = dir.resolve("qemu-env.img");
        Files.write(qenv, new byte[64 << 20]);
        String q = qemu(qenv, tftp, FIRST);
        assumeTrue(q != null, "qemu-system-aarch64 is not installed: the QEMU half is skipped");
        for (String line : KEY_LINES) {
            assertTrue(q.contains(line), "QEMU did not print '" + line + "' either:\n" + q);
        }
    }

    /** U-Boot under QEMU with a pflash drive for bank 1 and slirp's TFTP; answers the prompts as wirelab's run did. */
    private String qemu(Path env, Path tftp, String command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder("qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72", "-m", "128M",
                    "-smp", "1", "-display", "none", "-monitor", "none", "-serial", "stdio", "-bios", uboot.toString(),
                    "-drive", "if=pflash,unit=1,format=raw,file=" + env,
                    "-netdev", "user,id=n0,tftp=" + tftp, "-device", "virtio-net-device,netdev=n0")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        try (InputStream in = p.getInputStream(); OutputStream keys = p.getOutputStream()) {
            String[][] dialogue = {{"Hit any key to stop autoboot", " "}, {"=> ", command}, {"=> ", "poweroff\r"}};
            int step = 0;
            int from = 0;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            int b;
            while (System.nanoTime() < deadline && (b = in.read()) >= 0) {
                out.append((char) b);
                if (step < dialogue.length && out.indexOf(dialogue[step][0], from) >= 0) {
                    from = out.length();
                    keys.write(dialogue[step][1].getBytes(StandardCharsets.US_ASCII));
                    keys.flush();
                    step++;
                }
            }
        } finally {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        return out.toString();
    }
}
