package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BootImagesTest {

    static byte[] simpleElf() {
        return new ElfWriter().entry(0x4008_0000L)
                .seg(0x4008_0000L, ElfWriter.code(), 0x1000, 5)
                .seg(0x4009_0000L, new byte[] {1, 2, 3, 4}, 0x2000, 6)
                .func("_start", 0x4008_0000L, 8).object("counter", 0x4009_0000L, 4)
                .build();
    }

    @Test
    void detectsElf() {
        BootImage img = BootImages.parse("k.elf", simpleElf());
        ElfImage elf = assertInstanceOf(ElfImage.class, img);
        assertEquals(0x4008_0000L, elf.entry());
        assertEquals(2, elf.segments().size());
        assertEquals(0x1000, elf.segments().get(0).memSize());
        assertEquals(8, elf.segments().get(0).data().length);
        assertEquals("_start", elf.symbols().describe(0x4008_0000L));
        assertEquals("ELF", img.formatName());
    }

    @Test
    void detectsLinuxImage() {
        BootImage img = BootImages.parse("Image", ElfWriter.linuxImage(0x80000, 0x10000, 0xa, 256));
        LinuxImage li = assertInstanceOf(LinuxImage.class, img);
        assertEquals(0x80000, li.textOffset());
        assertEquals(0x10000, li.imageSize());
        assertEquals(0x1400_0010L, li.code0());
        assertEquals(LinuxImage.MAGIC, li.magic());
        assertEquals(4096, li.pageSize());
        assertTrue(li.physicalPlacementAnywhere());
        assertFalse(li.bigEndian());
    }

    @Test
    void anythingElseIsRaw() {
        BootImage img = BootImages.parse("fw.bin", new byte[] {1, 2, 3});
        RawImage raw = assertInstanceOf(RawImage.class, img);
        assertTrue(raw.loadAddress().isEmpty());
        assertEquals(0x4000_0000L, raw.at(0x4000_0000L).loadAddress().getAsLong());
    }

    @Test
    void forcedRawKeepsElfBytes() {
        byte[] elf = simpleElf();
        assertInstanceOf(RawImage.class, BootImages.parse("k", elf, BootImages.Format.RAW));
    }

    @Test
    void gzipIsInflated() throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(ElfWriter.linuxImage(0, 0x10000, 2, 100));
        }
        assertInstanceOf(LinuxImage.class, BootImages.parse("Image.gz", bo.toByteArray()));
    }

    @Test
    void corruptGzipIsRefused() {
        byte[] b = {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7};
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("x.gz", b));
        assertTrue(e.getMessage().contains("gzip"), e.getMessage());
    }

    @Test
    void emptyFileIsRefused() {
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("empty", new byte[0]));
        assertEquals("empty: the file is empty: pass the kernel or firmware image", e.getMessage());
    }

    @Test
    void x86ElfIsRefusedByName() {
        ElfWriter w = new ElfWriter().entry(0x1000).seg(0x1000, ElfWriter.code(), 8, 5);
        w.machine = 62;
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("a.out", w.build()));
        assertTrue(e.getMessage().startsWith("a.out: x86-64 ELF"), e.getMessage());
        assertTrue(e.getMessage().contains("wirelab runs AArch64 guests"), e.getMessage());
    }

    @Test
    void arm32ElfIsRefused() {
        ElfWriter w = new ElfWriter().entry(0x1000).seg(0x1000, ElfWriter.code(), 8, 5);
        w.machine = 40;
        w.elfClass = 1;
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("k", w.build()));
        assertTrue(e.getMessage().contains("32-bit ARM ELF"), e.getMessage());
    }

    @Test
    void bigEndianAndWrongClassAreRefused() {
        ElfWriter w = new ElfWriter().entry(0x1000).seg(0x1000, ElfWriter.code(), 8, 5);
        w.elfClass = 1;
        assertTrue(assertThrows(BadImageException.class, () -> BootImages.parse("k", w.build()))
                .getMessage().contains("32-bit"));
        ElfWriter be = new ElfWriter().entry(0x1000).seg(0x1000, ElfWriter.code(), 8, 5);
        be.data = 2;
        byte[] b = be.build();
        b[18] = 0;      // e_machine 183 big-endian
        b[19] = (byte) 183;
        assertTrue(assertThrows(BadImageException.class, () -> BootImages.parse("k", b))
                .getMessage().contains("big-endian"));
    }

    @Test
    void sharedObjectIsRefused() {
        ElfWriter w = new ElfWriter().entry(0x1000).seg(0x1000, ElfWriter.code(), 8, 5);
        w.type = 3;
        assertTrue(assertThrows(BadImageException.class, () -> BootImages.parse("k", w.build()))
                .getMessage().contains("-static -no-pie"));
    }

    @Test
    void fileszGreaterThanMemszIsRefused() {
        byte[] b = new ElfWriter().entry(0x4000_0000L).seg(0x4000_0000L, new byte[16], 8, 5).build();
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("k", b));
        assertTrue(e.getMessage().contains("segment 0 has p_filesz 0x10 > p_memsz 0x8"), e.getMessage());
    }

    @Test
    void overlappingSegmentsAreRefused() {
        byte[] b = new ElfWriter().entry(0x4000_0000L)
                .seg(0x4000_0000L, ElfWriter.code(), 0x2000, 5)
                .seg(0x4000_1000L, ElfWriter.code(), 0x1000, 6).build();
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.parse("k", b));
        assertEquals("k: segments 0 [0x40000000, 0x40002000) and 1 [0x40001000, 0x40002000) overlap in physical memory (p_paddr): fix the linker script",
                e.getMessage());
    }

    @Test
    void absurdSegmentSizeIsRefused() {
        byte[] b = new ElfWriter().entry(0x4000_0000L).seg(0x4000_0000L, ElfWriter.code(), 1L << 40, 5).build();
        assertTrue(assertThrows(BadImageException.class, () -> BootImages.parse("k", b))
                .getMessage().contains("absurd p_memsz"));
    }

    @Test
    void forcedImageWithBadMagicIsRefused() {
        byte[] b = new byte[128];
        BadImageException e = assertThrows(BadImageException.class,
                () -> BootImages.parse("vmlinux.bin", b, BootImages.Format.IMAGE));
        assertTrue(e.getMessage().contains("bad arm64 Image magic 0x0 at offset 0x38"), e.getMessage());
        assertTrue(e.getMessage().contains("--format image"), e.getMessage());
        assertTrue(assertThrows(BadImageException.class,
                () -> BootImages.parse("x", new byte[10], BootImages.Format.IMAGE)).getMessage().contains("truncated"));
    }

    @Test
    void forcedElfOnNonElfIsRefused() {
        assertThrows(BadImageException.class, () -> BootImages.parse("x", new byte[100], BootImages.Format.ELF));
    }

    @Test
    void bigEndianImageIsRefused() {
        assertTrue(assertThrows(BadImageException.class,
                () -> BootImages.parse("Image", ElfWriter.linuxImage(0, 0x1000, 1, 10)))
                .getMessage().contains("big-endian"));
    }

    @Test
    void imageSizeSmallerThanFileIsRefused() {
        assertTrue(assertThrows(BadImageException.class,
                () -> BootImages.parse("Image", ElfWriter.linuxImage(0, 0x20, 0, 100)))
                .getMessage().contains("smaller than the file"));
    }

    @Test
    void unknownFormatNameIsRefused() {
        assertEquals(BootImages.Format.IMAGE, BootImages.Format.parse("Image"));
        assertThrows(BadImageException.class, () -> BootImages.Format.parse("zip"));
    }

    @Test
    void loadsFromDiskAndRefusesMissingFiles(@TempDir Path dir) throws IOException {
        Path p = dir.resolve("k.elf");
        Files.write(p, simpleElf());
        assertInstanceOf(ElfImage.class, BootImages.load(p));
        BadImageException e = assertThrows(BadImageException.class, () -> BootImages.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void parsesTheGuestModulesTestElf() throws IOException {
        var in = getClass().getResourceAsStream("/guest/tests/hello.elf");
        org.junit.jupiter.api.Assumptions.assumeTrue(in != null, "guest test images not built");
        byte[] bytes;
        try (in) {
            bytes = in.readAllBytes();
        }
        ElfImage elf = assertInstanceOf(ElfImage.class, BootImages.parse("hello.elf", bytes));
        LoadPlan plan = LoadPlanner.plan(elf, MemoryLayout.virt(128L << 20), new byte[64]);
        assertEquals(elf.entry(), plan.entryPc());
        assertTrue(elf.symbols().address("_start").isPresent(), elf.symbols().names().toString());
    }
}
