package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential check of {@link LoadPlanner} against qemu-system-aarch64 itself:
 * boot the same file under {@code -M virt -S}, then ask the monitor where the PC
 * is and what memory holds. Skipped when QEMU is not installed.
 */
class QemuBootRulesTest {
    private static final long RAM = 0x4000_0000L;
    private static final long FDT_MAGIC_LE = 0xedfe0dd0L;   // d0 0d fe ed read as a little-endian word
    private static final Pattern PC = Pattern.compile("PC=([0-9a-f]{16})");
    private static final Pattern X0 = Pattern.compile("X00=([0-9a-f]{16})");

    @TempDir
    Path dir;

    /** Runs QEMU stopped at reset, executes monitor commands, returns the output. */
    private String qemu(String option, Path file, String ram, List<String> commands) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-aarch64", "-M", "virt,gic-version=3", "-cpu", "cortex-a72",
                "-m", ram, "-nic", "none", "-display", "none", "-S", "-monitor", "stdio", option, file.toString()));
        Path in = dir.resolve("monitor.txt");
        Files.writeString(in, String.join("\n", commands) + "\nquit\n");
        Path out = dir.resolve("qemu.out");
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectInput(in.toFile()).redirectOutput(out.toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "qemu-system-aarch64 not installed");
            return "";
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("qemu timed out");
        }
        return Files.readString(out, StandardCharsets.ISO_8859_1);
    }

    /** The {@code index}-th word of the monitor's xp line for {@code addr}. */
    private static long word(String out, long addr, int index) {
        Matcher m = Pattern.compile(String.format("%016x:((?: 0x[0-9a-f]{8})+)", addr)).matcher(out);
        assertTrue(m.find(), "no xp output for " + Long.toHexString(addr) + " in:\n" + out);
        return Long.parseLong(m.group(1).trim().split(" ")[index].substring(2), 16);
    }

    private static long word(String out, long addr) {
        return word(out, addr, 0);
    }

    private static long reg(Pattern p, String out) {
        Matcher m = p.matcher(out);
        assertTrue(m.find(), out);
        return Long.parseUnsignedLong(m.group(1), 16);
    }

    private LoadPlan planFor(Path file, long ram) {
        return LoadPlanner.plan(BootImages.load(file), MemoryLayout.virt(ram), new byte[0x1000]);
    }

    private void checkImage(long textOffset, long imageSize, String ram, long ramBytes) throws Exception {
        Path f = dir.resolve("Image");
        Files.write(f, ElfWriter.linuxImage(textOffset, imageSize, 2, 0x1000 - 64));
        LoadPlan plan = planFor(f, ramBytes);
        // QEMU starts in its stub at RAM base; the stub's literal pool holds the DTB address and entry.
        String out = qemu("-kernel", f, ram, List.of("info registers", "xp /4wx 0x40000018",
                String.format("xp /1wx 0x%x", plan.dtbAddress()), String.format("xp /1wx 0x%x", plan.entryPc())));
        assertEquals(RAM, reg(PC, out));
        long dtbLo = word(out, RAM + 0x18, 0);
        long entryLo = word(out, RAM + 0x18, 2);
        assertEquals(0, word(out, RAM + 0x18, 1), "DTB address high word");
        assertEquals(plan.dtbAddress(), dtbLo, "DTB address");
        assertEquals(plan.x0(), dtbLo, "x0");
        assertEquals(plan.entryPc(), entryLo, "kernel entry");
        assertEquals(FDT_MAGIC_LE, word(out, plan.dtbAddress()));
        assertEquals(0x1400_0010L, word(out, plan.entryPc()), "kernel's code0 at the entry");
    }

    @Test
    void imageWithTextOffset() throws Exception {
        checkImage(0x80000, 0x10000, "128M", 128L << 20);
    }

    @Test
    void imageWithTextOffsetZeroAndMoreRam() throws Exception {
        checkImage(0, 0x10000, "256M", 256L << 20);
    }

    @Test
    void oldImageWithoutImageSize() throws Exception {
        checkImage(0x1230000, 0, "128M", 128L << 20);
    }

    private void checkElf(long at) throws Exception {
        Path f = dir.resolve("k.elf");
        Files.write(f, new ElfWriter().entry(at).seg(at, ElfWriter.code(), 0x100, 5).build());
        LoadPlan plan = planFor(f, 128L << 20);
        String out = qemu("-kernel", f, "128M", List.of("info registers",
                String.format("xp /1wx 0x%x", plan.dtbAddress()), String.format("xp /1wx 0x%x", at)));
        assertEquals(plan.entryPc(), reg(PC, out));
        assertEquals(plan.x0(), reg(X0, out));
        assertEquals(FDT_MAGIC_LE, word(out, plan.dtbAddress()));
        assertEquals(0xd503_207fL, word(out, at), "wfi at the ELF's address");
    }

    @Test
    void elfAboveRamBaseGetsTheDtbAtRamBase() throws Exception {
        checkElf(RAM + 0x20_0000);
    }

    @Test
    void elfAtRamBaseGetsTheDtbAtZero() throws Exception {
        checkElf(RAM);
    }

    @Test
    void firmwareStartsAtZeroWithTheDtbAtRamBase() throws Exception {
        Path f = dir.resolve("fw.bin");
        Files.write(f, ElfWriter.code());
        LoadPlan plan = planFor(f, 128L << 20);
        String out = qemu("-bios", f, "128M", List.of("info registers", "xp /1wx 0x40000000", "xp /1wx 0x0"));
        assertEquals(plan.entryPc(), reg(PC, out));
        assertEquals(plan.x0(), reg(X0, out));
        assertEquals(RAM, plan.dtbAddress());
        assertEquals(FDT_MAGIC_LE, word(out, RAM));
        assertEquals(0xd503_207fL, word(out, 0));
    }
}
