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

    /** The board these flags describe; a value the board refuses is a {@link UserError}. */
    public BoardConfig config() {
        try {
            return BoardConfig.defaults().withRamSize(ram).withGicVersion(gic).withBootArgs(bootArgs)
                    .withPsciMethod(psci);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }
}
