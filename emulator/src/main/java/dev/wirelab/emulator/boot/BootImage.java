package dev.wirelab.emulator.boot;

/**
 * A guest boot image as parsed from a file: an AArch64 ELF executable, an arm64
 * Linux {@code Image}, or raw firmware bytes. Where it goes in guest memory is
 * decided by {@link LoadPlanner}, not here.
 */
public sealed interface BootImage permits ElfImage, LinuxImage, RawImage {
    /** The file name (or label) the image came from, used in messages. */
    String name();

    /** The format, as shown to the user ("ELF", "Image", "raw"). */
    String formatName();
}
