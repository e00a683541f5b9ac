package dev.wirelab.cli;

import dev.wirelab.emulator.board.BoardConfig;
import picocli.CommandLine.Option;

/** The board flags shared by every command that builds a board (a picocli mixin). */
public final class BoardOptions {
    @Option(names = "--ram", paramLabel = "SIZE", converter = Numbers.Size.class,
            description = "RAM size: 1M to 3G in 4K steps, e.g. 128M, 1G (default: ${DEFAULT-VALUE}).",
            defaultValue = "128M")
    long ram;

    @Option(names = "--gic", paramLabel = "2|3", description = "GIC version (default: ${DEFAULT-VALUE}).",
            defaultValue = "3")
    int gic;

    @Option(names = {"--bootargs", "--append"}, paramLabel = "STR",
            description = "Kernel command line (/chosen/bootargs in the device tree; --append as in QEMU).",
            defaultValue = "")
    String bootArgs;

    @Option(names = "--psci", paramLabel = "hvc|smc",
            description = "PSCI conduit the device tree advertises (both are answered; default: ${DEFAULT-VALUE}).",
            defaultValue = "hvc")
    String psci;

    @Option(names = "--virtio", paramLabel = "modern|legacy",
            description = "virtio-mmio transport: modern (version 2) or legacy (version 1, QEMU's default) (default: ${DEFAULT-VALUE}).",
            defaultValue = "modern")
    String virtio;

    @Option(names = "--rng-seed", paramLabel = "N", description = "Seed of virtio-rng's deterministic stream.")
    Long rngSeed;

    @Option(names = "--disk", paramLabel = "FILE", description = "Raw disk image for virtio-blk in slot 29 (read-only).")
    java.nio.file.Path disk;

    @Option(names = "--disk-rw", description = "Let the guest write the --disk image.")
    boolean diskWritable;

    @Option(names = "--flash0", paramLabel = "FILE",
            description = "Raw image for CFI flash bank 0 at 0x0 (up to 64M; read-only unless --flash-rw).")
    java.nio.file.Path flash0;

    @Option(names = "--flash1", paramLabel = "FILE",
            description = "Raw image for CFI flash bank 1 at 0x04000000 (up to 64M; read-only unless --flash-rw).")
    java.nio.file.Path flash1;

    @Option(names = "--flash-rw", description = "Let the guest program and erase the --flash0/--flash1 images (each exactly 64M).")
    boolean flashWritable;

    private BoardConfig.FlashImages flashImages() {
        for (var f : new java.nio.file.Path[] {flash0, flash1}) {
            if (f != null && !java.nio.file.Files.isRegularFile(f)) {
                throw new IllegalArgumentException((f == flash0 ? "--flash0 " : "--flash1 ") + f
                        + ": no such file (give a raw flash image, e.g. truncate -s 64M flash.img)");
            }
        }
        if (flashWritable && flash0 == null && flash1 == null) {
            throw new IllegalArgumentException("--flash-rw needs --flash0 FILE or --flash1 FILE");
        }
        return new BoardConfig.FlashImages(flash0, flash1, flashWritable);
    }

    /** The board these flags describe; a value the board refuses is a {@link UserError}. */
    public BoardConfig config() {
        try {
            int version = switch (virtio) {
                case "modern", "2" -> 2;
                case "legacy", "1" -> 1;
                default -> throw new IllegalArgumentException("--virtio " + virtio + ": use modern or legacy");
            };
            BoardConfig c = BoardConfig.defaults().withRamSize(ram).withGicVersion(gic).withBootArgs(bootArgs)
                    .withPsciMethod(psci).withVirtioVersion(version);
            if (disk != null) {
                if (!java.nio.file.Files.isRegularFile(disk)) {
                    throw new IllegalArgumentException("--disk " + disk + ": no such file (give a raw disk image)");
                }
                c = c.withDisk(disk, diskWritable);
            } else if (diskWritable) {
                throw new IllegalArgumentException("--disk-rw needs --disk FILE");
            }
            c = c.withFlash(flashImages());
            return rngSeed == null ? c : c.withRngSeed(rngSeed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
