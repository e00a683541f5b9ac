package dev.wirelab.emulator.boot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Decides where a boot image and its DTB go, following QEMU's hw/arm/boot.c
 * (checked against qemu-system-aarch64 7.2 with {@code -M virt}):
 * <ul>
 * <li>arm64 Image: loaded at RAM base + text_offset, or + 0x80000 if image_size is
 *     0 (kernels before v3.17); an offset below 4 KiB gets 2 MiB added (QEMU keeps
 *     its boot stub at the RAM base). The DTB goes at
 *     alignUp(pageAlign(max(RAM base + min(RAM/2, 128 MiB), kernel end)), 2 MiB);
 *     x0 = DTB address. (QEMU starts a 10-instruction stub at RAM base that sets
 *     x0-x3 and branches; wirelab starts at the kernel with the same registers.)</li>
 * <li>ELF: segments at their p_paddr, PC = e_entry (translated to physical if it
 *     lies in an executable segment whose vaddr != paddr), x0 = 0: QEMU treats ELF
 *     as "not Linux" and passes nothing. The DTB goes at the RAM base if the ELF
 *     lies wholly above it with room below, or wholly below it; otherwise QEMU puts
 *     it at address 0 (flash), which wirelab does too when flash is free there.</li>
 * <li>raw firmware ({@code -bios}): loaded at flash base, PC = flash base, x0 = 0,
 *     DTB at the RAM base. With an explicit load address: loaded and started there,
 *     DTB at the RAM base (as with QEMU's generic loader).</li>
 * </ul>
 * Every chunk must lie wholly inside RAM or flash, outside device windows, and
 * not overlap another chunk.
 */
public final class LoadPlanner {
    private LoadPlanner() { }

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    /** QEMU KERNEL64_LOAD_ADDR: the load offset of Images without image_size. */
    public static final long LEGACY_TEXT_OFFSET = 0x80000;
    /** QEMU BOOTLOADER_MAX_SIZE: offsets below this collide with the boot stub and get 2 MiB added. */
    static final long BOOTLOADER_MAX_SIZE = 4 * KIB;
    /** Alignment of the DTB after an arm64 kernel (QEMU: some kernels map the FDT as a 2 MiB block). */
    public static final long DTB_ALIGN = 2 * MIB;
    private static final long PAGE = 4 * KIB;

    /**
     * Plans the load of {@code image} into {@code layout} with {@code dtb} (may be
     * null: no DTB is placed and x0 is 0).
     */
    public static LoadPlan plan(BootImage image, MemoryLayout layout, byte[] dtb) {
        return plan(image, layout, dtb, null);
    }

    /**
     * ... with an initial ramdisk (may be null), which only a Linux Image takes (QEMU ignores
     * {@code -initrd} for ELF and firmware): at {@link #initrdStart}, the DTB 2 MiB-aligned after it.
     * The DTB must already name the initrd's range in /chosen.
     */
    public static LoadPlan plan(BootImage image, MemoryLayout layout, byte[] dtb, byte[] initrd) {
        if (initrd != null && !(image instanceof LinuxImage)) {
            throw new BadImageException(image.name() + ": an initrd goes with a Linux kernel (arm64 Image), not with "
                    + (image instanceof ElfImage ? "an ELF image" : "a raw image")
                    + " (QEMU ignores -initrd for it): boot the kernel's Image, or drop the initrd");
        }
        LoadPlan plan = switch (image) {
            case LinuxImage img -> planImage(img, layout, dtb, initrd == null ? new byte[0] : initrd);
            case ElfImage elf -> planElf(elf, layout, dtb);
            case RawImage raw -> planRaw(raw, layout, dtb);
        };
        check(image, plan, layout);
        return plan;
    }

    /** Where QEMU loads the initrd after {@code img}: page-aligned max(RAM base + min(RAM/2, 128 MiB), kernel end). */
    public static long initrdStart(LinuxImage img, MemoryLayout l) {
        long entry = l.ramBase() + textOffset(img);
        return alignUp(Math.max(l.ramBase() + Math.min(l.ramSize() / 2, 128 * MIB), entry + kernelSize(img)), PAGE);
    }

    private static long textOffset(LinuxImage img) {
        if (img.imageSize() == 0) {
            return LEGACY_TEXT_OFFSET;
        }
        return img.textOffset() < BOOTLOADER_MAX_SIZE ? img.textOffset() + 2 * MIB : img.textOffset();
    }

    private static long kernelSize(LinuxImage img) {
        return img.imageSize() != 0 ? img.imageSize() : img.bytes().length;
    }

    private static LoadPlan planImage(LinuxImage img, MemoryLayout l, byte[] dtb, byte[] initrd) {
        long offset = LEGACY_TEXT_OFFSET;
        long kernelSize = img.bytes().length;
        if (img.imageSize() != 0) {
            offset = img.textOffset();
            if (offset < BOOTLOADER_MAX_SIZE) {
                offset += 2 * MIB;
            }
            kernelSize = img.imageSize();
        }
        if (kernelSize > l.ramSize()) {
            throw new BadImageException(img.name() + ": kernel size " + Hex.of(kernelSize) + " is larger than RAM ("
                    + Hex.of(l.ramSize()) + "): raise --ram");
        }
        long entry = l.ramBase() + offset;
        List<LoadPlan.Chunk> chunks = new ArrayList<>();
        chunks.add(new LoadPlan.Chunk(entry, img.bytes(), kernelSize - img.bytes().length, "kernel"));
        if (dtb == null) {
            return new LoadPlan(chunks, entry, 0, LoadPlan.NO_DTB, false);
        }
        long initrdStart = initrdStart(img, l);
        if (initrd.length > 0) {
            if (Long.compareUnsigned(initrdStart, l.ramEnd()) >= 0 || initrd.length > l.ramEnd() - initrdStart) {
                throw new BadImageException(img.name() + ": the initrd (" + Hex.of(initrd.length) + " bytes) does not fit in"
                        + " RAM after the kernel: it would go at " + Hex.range(initrdStart, initrdStart + initrd.length)
                        + " but RAM is " + Hex.range(l.ramBase(), l.ramEnd()) + ": raise --ram");
            }
            chunks.add(new LoadPlan.Chunk(initrdStart, initrd, 0, "initrd"));
        }
        long dtbAt = alignUp(initrdStart + initrd.length, DTB_ALIGN);
        if (Long.compareUnsigned(dtbAt, l.ramEnd()) >= 0
                || Long.compareUnsigned(dtb.length, l.ramEnd() - dtbAt) > 0) {
            throw new BadImageException(img.name() + ": no room for the DTB after the kernel: it would go at "
                    + Hex.range(dtbAt, dtbAt + dtb.length) + " but RAM is " + Hex.range(l.ramBase(), l.ramEnd())
                    + ": raise --ram");
        }
        chunks.add(new LoadPlan.Chunk(dtbAt, dtb, 0, "DTB"));
        return new LoadPlan(chunks, entry, dtbAt, dtbAt, false);
    }

    private static LoadPlan planElf(ElfImage elf, MemoryLayout l, byte[] dtb) {
        List<LoadPlan.Chunk> chunks = new ArrayList<>();
        for (ElfImage.Segment s : elf.segments()) {
            chunks.add(new LoadPlan.Chunk(s.paddr(), s.data(), s.memSize() - s.data().length, "segment " + s.index()));
        }
        long entry = elf.physicalEntry();
        long dtbAt = LoadPlan.NO_DTB;
        if (dtb != null) {
            long low = elf.lowAddress();
            long high = elf.highAddress();
            long base = l.ramBase();
            if (Long.compareUnsigned(low, base) > 0 || Long.compareUnsigned(high, base) < 0) {
                // Room at the base of RAM: QEMU puts the DTB there if it fits below the ELF.
                boolean limited = Long.compareUnsigned(low, base) > 0;
                if (!limited || Long.compareUnsigned(dtb.length, low - base) <= 0) {
                    dtbAt = base;
                }
            } else if (l.flashSize() > 0 && !overlapsAny(chunks, l.flashBase(), l.flashBase() + dtb.length)) {
                // QEMU 7.2 leaves dtb_start at 0 here: the DTB lands at address 0 (flash on virt).
                dtbAt = l.flashBase();
            }
            if (dtbAt != LoadPlan.NO_DTB) {
                chunks.add(new LoadPlan.Chunk(dtbAt, dtb, 0, "DTB"));
            }
        }
        return new LoadPlan(sorted(chunks), entry, 0, dtbAt, inFlash(entry, l));
    }

    private static LoadPlan planRaw(RawImage raw, MemoryLayout l, byte[] dtb) {
        long at = raw.loadAddress().orElse(l.flashBase());
        List<LoadPlan.Chunk> chunks = new ArrayList<>();
        chunks.add(new LoadPlan.Chunk(at, raw.bytes(), 0, raw.loadAddress().isPresent() ? "raw image" : "firmware"));
        long dtbAt = LoadPlan.NO_DTB;
        if (dtb != null) {
            dtbAt = l.ramBase();
            long end = at + raw.bytes().length;
            if (Long.compareUnsigned(at, dtbAt + dtb.length) < 0 && Long.compareUnsigned(dtbAt, end) < 0) {
                throw new BadImageException(raw.name() + ": raw image " + Hex.range(at, end)
                        + " overlaps the DTB at the RAM base " + Hex.range(dtbAt, dtbAt + dtb.length)
                        + ": load it at or above " + Hex.of(alignUp(dtbAt + dtb.length, DTB_ALIGN)));
            }
            chunks.add(new LoadPlan.Chunk(dtbAt, dtb, 0, "DTB"));
        }
        return new LoadPlan(sorted(chunks), at, 0, dtbAt, inFlash(at, l));
    }

    /** Every chunk inside RAM or flash, outside device windows, no two overlapping. */
    private static void check(BootImage image, LoadPlan plan, MemoryLayout l) {
        String ram = "RAM " + Hex.range(l.ramBase(), l.ramEnd());
        String flash = l.flashSize() > 0 ? " or flash " + Hex.range(l.flashBase(), l.flashEnd()) : "";
        for (LoadPlan.Chunk c : plan.chunks()) {
            long start = c.address();
            long size = c.size();
            boolean wraps = Long.compareUnsigned(start, -1L - size) > 0;
            String range = wraps ? "[" + Hex.of(start) + " + " + Hex.of(size) + ")" : Hex.range(start, start + size);
            if (wraps || !(inside(start, size, l.ramBase(), l.ramSize()) || inside(start, size, l.flashBase(), l.flashSize()))) {
                String hint = image instanceof RawImage ? "load it at an address inside RAM or flash"
                        : inside(start, 1, l.ramBase(), l.ramSize()) ? "raise --ram or relink" : "relink it for this board";
                throw new BadImageException(image.name() + ": " + c.what() + " " + range + " is outside " + ram
                        + flash + ": " + hint);
            }
            for (MemoryLayout.Window w : l.devices()) {
                if (Long.compareUnsigned(start, w.end()) < 0 && Long.compareUnsigned(w.base(), start + size) < 0) {
                    throw new BadImageException(image.name() + ": " + c.what() + " " + range + " overlaps the "
                            + w.name() + " device window " + Hex.range(w.base(), w.end()) + ": relink it");
                }
            }
        }
        List<LoadPlan.Chunk> sorted = sorted(plan.chunks());
        for (int i = 1; i < sorted.size(); i++) {
            LoadPlan.Chunk a = sorted.get(i - 1);
            LoadPlan.Chunk b = sorted.get(i);
            if (Long.compareUnsigned(b.address(), a.end()) < 0) {
                throw new BadImageException(image.name() + ": " + a.what() + " " + Hex.range(a.address(), a.end())
                        + " overlaps " + b.what() + " " + Hex.range(b.address(), b.end()) + ": relink it or raise --ram");
            }
        }
        if (!inside(plan.entryPc(), 4, l.ramBase(), l.ramSize()) && !inside(plan.entryPc(), 4, l.flashBase(), l.flashSize())) {
            throw new BadImageException(image.name() + ": entry point " + Hex.of(plan.entryPc()) + " is outside " + ram
                    + flash + ": check e_entry / the link address");
        }
    }

    private static boolean inside(long start, long size, long base, long len) {
        return len > 0 && Long.compareUnsigned(start, base) >= 0
                && Long.compareUnsigned(start - base, len) <= 0
                && Long.compareUnsigned(size, len - (start - base)) <= 0;
    }

    private static boolean overlapsAny(List<LoadPlan.Chunk> chunks, long start, long end) {
        for (LoadPlan.Chunk c : chunks) {
            if (Long.compareUnsigned(start, c.end()) < 0 && Long.compareUnsigned(c.address(), end) < 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean inFlash(long pc, MemoryLayout l) {
        return inside(pc, 1, l.flashBase(), l.flashSize());
    }

    private static List<LoadPlan.Chunk> sorted(List<LoadPlan.Chunk> chunks) {
        List<LoadPlan.Chunk> s = new ArrayList<>(chunks);
        s.sort(Comparator.comparingLong(c -> c.address() ^ Long.MIN_VALUE));
        return s;
    }

    static long alignUp(long v, long align) {
        return (v + align - 1) & -align;
    }
}
