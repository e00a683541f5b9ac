package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoadPlannerTest {
    static final long MIB = 1 << 20;
    static final long RAM = 0x4000_0000L;
    static final MemoryLayout VIRT128 = MemoryLayout.virt(128 * MIB);
    static final byte[] DTB = new byte[0x1000];

    private static LoadPlan image(long textOffset, long imageSize, MemoryLayout l) {
        return LoadPlanner.plan(BootImages.parse("Image", ElfWriter.linuxImage(textOffset, imageSize, 2, 0x1000)), l, DTB);
    }

    @Test
    void imageLoadsAtTextOffset() {
        LoadPlan p = image(0x80000, 0x10000, VIRT128);
        assertEquals(RAM + 0x80000, p.entryPc());
        assertEquals(RAM + 0x80000, p.chunks().get(0).address());
        assertEquals(0x10000 - 0x1040, p.chunks().get(0).zeroFillBytes());
        // 128 MiB: QEMU puts the DTB at RAM base + min(RAM/2, 128 MiB), 2 MiB aligned.
        assertEquals(RAM + 64 * MIB, p.dtbAddress());
        assertEquals(p.dtbAddress(), p.x0());
        assertFalse(p.startsInFlash());
    }

    @Test
    void textOffsetBelow4KiBGets2MiBAdded() {
        assertEquals(RAM + 2 * MIB, image(0, 0x10000, VIRT128).entryPc());
        assertEquals(RAM + 2 * MIB + 0x800, image(0x800, 0x10000, VIRT128).entryPc());
        assertEquals(RAM + 0x1000, image(0x1000, 0x10000, VIRT128).entryPc());
    }

    @Test
    void imageSizeZeroMeansOldKernelAt0x80000() {
        LoadPlan p = image(0x1234000, 0, VIRT128);
        assertEquals(RAM + 0x80000, p.entryPc());
        assertEquals(0, p.chunks().get(0).zeroFillBytes());
    }

    @Test
    void dtbGoesAt128MiBWithBigRamAndAfterABigKernel() {
        assertEquals(RAM + 128 * MIB, image(0x80000, 0x10000, MemoryLayout.virt(256 * MIB)).dtbAddress());
        assertEquals(RAM + 128 * MIB, image(0x80000, 0x10000, MemoryLayout.virt(1024 * MIB)).dtbAddress());
        // kernel [RAM+2M, RAM+2M+80M) ends past RAM/2: DTB after it, 2 MiB aligned
        LoadPlan p = image(0, 80 * MIB + 0x123, VIRT128);
        assertEquals(RAM + 84 * MIB, p.dtbAddress());
    }

    @Test
    void imageBiggerThanRamIsRefused() {
        BadImageException e = assertThrows(BadImageException.class, () -> image(0, 200 * MIB, VIRT128));
        assertTrue(e.getMessage().contains("larger than RAM"), e.getMessage());
        BadImageException e2 = assertThrows(BadImageException.class, () -> image(0, 127 * MIB, VIRT128));
        assertTrue(e2.getMessage().contains("outside RAM") || e2.getMessage().contains("no room for the DTB"), e2.getMessage());
    }

    @Test
    void imageWithoutDtb() {
        LoadPlan p = LoadPlanner.plan(BootImages.parse("Image", ElfWriter.linuxImage(0x80000, 0x10000, 2, 16)), VIRT128, null);
        assertFalse(p.hasDtb());
        assertEquals(0, p.x0());
        assertEquals(1, p.chunks().size());
    }

    @Test
    void elfLoadsAtPaddrWithX0ZeroAndDtbAtRamBaseWhenThereIsRoom() {
        byte[] elf = new ElfWriter().entry(0x4020_0000L).seg(0x4020_0000L, ElfWriter.code(), 0x100, 5).build();
        LoadPlan p = LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB);
        assertEquals(0x4020_0000L, p.entryPc());
        assertEquals(0, p.x0());
        assertEquals(RAM, p.dtbAddress());
        assertEquals(List.of(RAM, 0x4020_0000L), p.chunks().stream().map(LoadPlan.Chunk::address).toList());
    }

    @Test
    void elfTooCloseToRamBaseGetsNoDtbThere() {
        // 0x800 bytes below the ELF: a 0x1000-byte DTB does not fit; the ELF does not cover RAM base
        // either, so QEMU skips the DTB.
        byte[] elf = new ElfWriter().entry(RAM + 0x800).seg(RAM + 0x800, ElfWriter.code(), 0x100, 5).build();
        LoadPlan p = LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB);
        assertFalse(p.hasDtb());
    }

    @Test
    void elfCoveringRamBasePutsDtbAtAddressZeroLikeQemu() {
        byte[] elf = new ElfWriter().entry(RAM).seg(RAM, ElfWriter.code(), 0x100, 5).build();
        LoadPlan p = LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB);
        assertEquals(0, p.dtbAddress());
        assertEquals(0, p.x0());
    }

    @Test
    void elfBelowRamPutsDtbAtRamBase() {
        byte[] elf = new ElfWriter().entry(0).seg(0, ElfWriter.code(), 0x100, 5).build();
        LoadPlan p = LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB);
        assertEquals(RAM, p.dtbAddress());
        assertTrue(p.startsInFlash());
    }

    @Test
    void elfEntryIsTranslatedToPhysical() {
        byte[] elf = new ElfWriter().entry(0xffff_0000_0008_0010L)
                .seg(0xffff_0000_0008_0000L, 0x4008_0000L, new byte[0x40], 0x40, 5).build();
        LoadPlan p = LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB);
        assertEquals(0x4008_0010L, p.entryPc());
    }

    @Test
    void segmentOutsideRamIsRefusedWithTheRanges() {
        byte[] elf = new ElfWriter().entry(RAM + 0x1000)
                .seg(RAM + 0x1000, ElfWriter.code(), 0x100, 5)
                .seg(0x8000_0000L, new byte[8], 0x1000, 6).build();
        BadImageException e = assertThrows(BadImageException.class,
                () -> LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, DTB));
        assertEquals("k: segment 1 [0x80000000, 0x80001000) is outside RAM [0x40000000, 0x48000000) or flash [0x0, 0x8000000): relink it for this board",
                e.getMessage());
        byte[] elf2 = new ElfWriter().entry(RAM + 0x1000).seg(RAM + 0x7fff000L, new byte[8], 0x2000, 6)
                .seg(RAM + 0x1000, ElfWriter.code(), 8, 5).build();
        BadImageException e2 = assertThrows(BadImageException.class,
                () -> LoadPlanner.plan(BootImages.parse("k", elf2), VIRT128, DTB));
        assertEquals("k: segment 0 [0x47fff000, 0x48001000) is outside RAM [0x40000000, 0x48000000) or flash [0x0, 0x8000000): raise --ram or relink",
                e2.getMessage());
    }

    @Test
    void segmentOnADeviceIsRefused() {
        MemoryLayout l = new MemoryLayout(RAM, 128 * MIB, 0, 0x800_0000L,
                List.of(new MemoryLayout.Window("uart", RAM + 0x10000, 0x1000)));
        byte[] elf = new ElfWriter().entry(RAM + 0x10000).seg(RAM + 0x10000, ElfWriter.code(), 8, 5).build();
        BadImageException e = assertThrows(BadImageException.class, () -> LoadPlanner.plan(BootImages.parse("k", elf), l, null));
        assertTrue(e.getMessage().contains("overlaps the uart device window"), e.getMessage());
    }

    @Test
    void entryOutsideMemoryIsRefused() {
        byte[] elf = new ElfWriter().entry(0x9000_0000L).seg(RAM + 0x10000, ElfWriter.code(), 8, 5).build();
        assertTrue(assertThrows(BadImageException.class, () -> LoadPlanner.plan(BootImages.parse("k", elf), VIRT128, null))
                .getMessage().contains("entry point 0x90000000"));
    }

    @Test
    void firmwareStartsInFlashWithDtbAtRamBase() {
        LoadPlan p = LoadPlanner.plan(BootImages.parse("fw", new byte[] {1, 2, 3, 4}), VIRT128, DTB);
        assertEquals(0, p.entryPc());
        assertEquals(0, p.x0());
        assertEquals(RAM, p.dtbAddress());
        assertTrue(p.startsInFlash());
        assertEquals(0, p.chunks().get(0).address());
    }

    @Test
    void rawAtAnAddress() {
        RawImage raw = ((RawImage) BootImages.parse("fw", new byte[] {1, 2, 3, 4})).at(RAM + 0x20_0000);
        LoadPlan p = LoadPlanner.plan(raw, VIRT128, DTB);
        assertEquals(RAM + 0x20_0000, p.entryPc());
        assertEquals(RAM, p.dtbAddress());
        assertFalse(p.startsInFlash());
        BadImageException e = assertThrows(BadImageException.class,
                () -> LoadPlanner.plan(raw.at(RAM), VIRT128, DTB));
        assertTrue(e.getMessage().contains("overlaps the DTB"), e.getMessage());
    }

    @Test
    void firmwareLargerThanFlashIsRefused() {
        MemoryLayout small = new MemoryLayout(RAM, 128 * MIB, 0, 0x1000, List.of());
        BadImageException e = assertThrows(BadImageException.class,
                () -> LoadPlanner.plan(BootImages.parse("fw", new byte[0x1001]), small, DTB));
        assertEquals("fw: firmware [0x0, 0x1001) is outside RAM [0x40000000, 0x48000000) or flash [0x0, 0x1000): load it at an address inside RAM or flash",
                e.getMessage());
    }
}
