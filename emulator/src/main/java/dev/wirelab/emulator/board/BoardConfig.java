package dev.wirelab.emulator.board;

/**
 * How to build a board. Everything that can change a run is here, so a config
 * plus the inputs fully determines the run.
 *
 * @param ramSize     bytes of RAM at {@link VirtMemoryMap#RAM_BASE}; multiple of 4 KiB
 * @param gicVersion  2 or 3
 * @param bootArgs    /chosen/bootargs for the device tree
 * @param psciMethod  "hvc" or "smc": the conduit the device tree advertises (both are answered)
 * @param rtcEpoch    PL031 seconds at virtual time zero (never the host clock)
 * @param cpuMax      true: Unicorn's "max" CPU model (like -cpu max); false: Cortex-A72
 * @param virtioVersion 2 (modern virtio-mmio) or 1 (legacy, QEMU's default for virtio-mmio)
 * @param rngSeed     seed of virtio-rng's deterministic stream
 * @param disk        raw image for virtio-blk in slot 29, or null for none
 * @param diskWritable whether the guest may write the disk image (read-only by default)
 * @param flash       images for the two CFI flash banks (none: empty banks the guest may program)
 * @param initrd      initial ramdisk for a Linux kernel (QEMU {@code -initrd}), or null
 */
public record BoardConfig(long ramSize, int gicVersion, String bootArgs, String psciMethod, long rtcEpoch, boolean cpuMax,
                          int virtioVersion, long rngSeed, java.nio.file.Path disk, boolean diskWritable, FlashImages flash,
                          java.nio.file.Path initrd) {
    public static final long MIN_RAM = 1L << 20;
    public static final long MAX_RAM = 3L << 30;
    /** 2026-01-01T00:00:00Z. */
    public static final long DEFAULT_EPOCH = 1_767_225_600L;

    public BoardConfig {
        if (ramSize < MIN_RAM || ramSize > MAX_RAM || (ramSize & 0xfff) != 0) {
            throw new IllegalArgumentException("RAM size " + ramSize + " bytes is not usable: give 1M to 3G in 4K steps (e.g. --ram 128M)");
        }
        if (gicVersion != 2 && gicVersion != 3) {
            throw new IllegalArgumentException("GIC version " + gicVersion + " does not exist on virt: use 2 or 3");
        }
        if (!psciMethod.equals("hvc") && !psciMethod.equals("smc")) {
            throw new IllegalArgumentException("PSCI method '" + psciMethod + "': use hvc or smc");
        }
        if (flash == null) {
            flash = FlashImages.NONE;
        }
        if (bootArgs == null) {
            bootArgs = "";
        }
        if (virtioVersion != 1 && virtioVersion != 2) {
            throw new IllegalArgumentException("virtio-mmio version " + virtioVersion + ": use 1 (legacy) or 2 (modern)");
        }
    }

    /** Default seed of virtio-rng: fixed, so runs repeat; change it to explore other random streams. */
    public static final long DEFAULT_RNG_SEED = 0x5EED_0F_0123_4567L;

    public static BoardConfig defaults() {
        return new BoardConfig(128L << 20, 3, "", "hvc", DEFAULT_EPOCH, false, 2, DEFAULT_RNG_SEED, null, false,
                FlashImages.NONE, null);
    }

    public BoardConfig withRamSize(long bytes) {
        return new BoardConfig(bytes, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed,
                disk, diskWritable, flash, initrd);
    }

    public BoardConfig withGicVersion(int v) {
        return new BoardConfig(ramSize, v, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed, disk,
                diskWritable, flash, initrd);
    }

    public BoardConfig withBootArgs(String args) {
        return new BoardConfig(ramSize, gicVersion, args, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed, disk,
                diskWritable, flash, initrd);
    }

    public BoardConfig withPsciMethod(String m) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, m, rtcEpoch, cpuMax, virtioVersion, rngSeed, disk,
                diskWritable, flash, initrd);
    }

    public BoardConfig withRtcEpoch(long epoch) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, epoch, cpuMax, virtioVersion, rngSeed,
                disk, diskWritable, flash, initrd);
    }

    public BoardConfig withCpuMax(boolean max) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, max, virtioVersion, rngSeed,
                disk, diskWritable, flash, initrd);
    }

    public BoardConfig withVirtioVersion(int v) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, v, rngSeed, disk,
                diskWritable, flash, initrd);
    }

    public BoardConfig withRngSeed(long seed) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, seed, disk,
                diskWritable, flash, initrd);
    }

    /** A raw disk image for virtio-blk in slot 29; read-only unless {@code writable}. */
    public BoardConfig withDisk(java.nio.file.Path image, boolean writable) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed,
                image,
                writable, flash, initrd);
    }

    /**
     * Raw images for flash bank 0 (at 0) and bank 1 (at 0x0400_0000), each null for none; the guest
     * may change them only when {@code writable} (QEMU: {@code -drive if=pflash}, readonly unless asked).
     */
    public record FlashImages(java.nio.file.Path flash0, java.nio.file.Path flash1, boolean writable) {
        public static final FlashImages NONE = new FlashImages(null, null, false);

        public java.nio.file.Path bank(int i) {
            return i == 0 ? flash0 : i == 1 ? flash1 : null;
        }
    }

    /** An initial ramdisk loaded after a Linux kernel and named in /chosen (QEMU {@code -initrd}); null for none. */
    public BoardConfig withInitrd(java.nio.file.Path file) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed, disk,
                diskWritable, flash, file);
    }

    /** Flash bank images (see {@link FlashImages}). */
    public BoardConfig withFlash(FlashImages images) {
        return new BoardConfig(ramSize, gicVersion, bootArgs, psciMethod, rtcEpoch, cpuMax, virtioVersion, rngSeed,
                disk,
                diskWritable, images, initrd);
    }

    /** Parses "128M", "1G", "65536", "512K". */
    public static long parseSize(String s) {
        String t = s.trim().toUpperCase(java.util.Locale.ROOT);
        long mult = 1;
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        if (mult != 1) {
            t = t.substring(0, t.length() - 1);
        }
        try {
            long v = Long.parseLong(t);
            if (v <= 0 || v > Long.MAX_VALUE / mult) {
                throw new NumberFormatException();
            }
            return v * mult;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + s + "' is not a size: use e.g. 128M, 1G or 65536");
        }
    }
}
