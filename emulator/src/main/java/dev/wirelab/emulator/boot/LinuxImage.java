package dev.wirelab.emulator.boot;

/**
 * An arm64 Linux {@code Image} (Documentation/arch/arm64/booting.rst): the 64-byte
 * little-endian header, validated, and the whole file.
 *
 * @param name       file name, for messages
 * @param bytes      the whole file, header included (it is loaded as a unit)
 * @param code0      executable code (often a branch to the real start)
 * @param code1      executable code
 * @param textOffset image load offset from a 2 MiB aligned base; only meaningful if {@code imageSize != 0}
 * @param imageSize  effective image size including bss; 0 for kernels before v3.17
 * @param flags      bit 0 big-endian, bits 1-2 page size, bit 3 physical placement
 * @param res2       reserved
 * @param res3       reserved
 * @param res4       reserved
 * @param magic      0x644d5241 ("ARM\x64")
 * @param res5       reserved (PE header offset on EFI-stub kernels)
 */
public record LinuxImage(String name, byte[] bytes, long code0, long code1, long textOffset,
                         long imageSize, long flags, long res2, long res3, long res4,
                         long magic, long res5) implements BootImage {

    /** The header magic, "ARM\x64" read as a little-endian u32. */
    public static final long MAGIC = 0x644d_5241L;
    /** Offset of the magic in the file. */
    public static final int MAGIC_OFFSET = 0x38;
    /** Size of the header. */
    public static final int HEADER_SIZE = 64;

    @Override
    public String formatName() {
        return "Image";
    }

    /** Header flag bit 0: the kernel is big-endian. */
    public boolean bigEndian() {
        return (flags & 1) != 0;
    }

    /** Kernel page size from flags bits 1-2 in bytes, or 0 if unspecified. */
    public int pageSize() {
        return switch ((int) (flags >>> 1) & 3) {
            case 1 -> 4096;
            case 2 -> 16384;
            case 3 -> 65536;
            default -> 0;
        };
    }

    /** Header flag bit 3: the kernel may be placed anywhere in physical memory (2 MiB aligned). */
    public boolean physicalPlacementAnywhere() {
        return (flags & 8) != 0;
    }
}
