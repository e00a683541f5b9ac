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

    @Option(names = "--bootargs", paramLabel = "STR", description = "Kernel command line (/chosen/bootargs in the device tree).",
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

    @Option(names = "--disk", paramLabel = "FILE", description = "Raw disk image for virtio-blk in slot 1 (read-only).")
    java.nio.file.Path disk;

    @Option(names = "--disk-rw", description = "Let the guest write the --disk image.")
    boolean diskWritable;

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
            return rngSeed == null ? c : c.withRngSeed(rngSeed);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
