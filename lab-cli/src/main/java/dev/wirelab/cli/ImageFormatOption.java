package dev.wirelab.cli;

import dev.wirelab.emulator.boot.BootImages;
import picocli.CommandLine.Option;

/** {@code --format}: how an IMAGE file is read (a picocli mixin of boot and replay). */
public final class ImageFormatOption {
    @Option(names = "--format", paramLabel = "auto|elf|image|raw", defaultValue = "auto",
            description = "How to read IMAGE (default: ${DEFAULT-VALUE}, by magic).")
    String format;

    /** The format asked for; an unknown one is bad input ({@link dev.wirelab.emulator.boot.BadImageException}). */
    BootImages.Format format() {
        return BootImages.Format.parse(format);
    }

    /** The flag as the user typed it, for messages. */
    @Override
    public String toString() {
        return "--format " + format;
    }
}
