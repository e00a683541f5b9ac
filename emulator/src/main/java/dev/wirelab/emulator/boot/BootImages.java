package dev.wirelab.emulator.boot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.zip.GZIPInputStream;

/**
 * Reads boot images: detects the format by magic (ELF {@code 0x7f 'E' 'L' 'F'};
 * arm64 Image "ARM\x64" at 0x38; anything else is raw firmware), validates it and
 * returns a {@link BootImage}. gzip-compressed files are inflated first, as QEMU
 * does for AArch64 kernels.
 */
public final class BootImages {
    private BootImages() { }

    /** What the user asked for with {@code --format}. */
    public enum Format {
        /** Detect by magic. */
        AUTO,
        /** Must be an ELF executable. */
        ELF,
        /** Must be an arm64 Image with a valid header. */
        IMAGE,
        /** Raw bytes, whatever they look like. */
        RAW;

        /** Parses "auto", "elf", "image" or "raw" (any case). */
        public static Format parse(String s) {
            try {
                return valueOf(s.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new BadImageException("unknown image format '" + s + "': use auto, elf, image or raw");
            }
        }
    }

    /** Largest file (or inflated gzip stream) accepted, as QEMU's LOAD_IMAGE_MAX_GUNZIP_BYTES. */
    public static final long MAX_IMAGE_BYTES = 256L << 20;

    /** Reads and detects the image in {@code path}. */
    public static BootImage load(Path path) {
        return load(path, Format.AUTO);
    }

    /** Reads {@code path} as the given format. */
    public static BootImage load(Path path, Format format) {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_IMAGE_BYTES) {
                throw new BadImageException(path + ": " + size + " bytes is larger than the "
                        + (MAX_IMAGE_BYTES >> 20) + " MiB wirelab accepts: is this really a boot image?");
            }
            bytes = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new BadImageException(path + ": no such file: check the path");
        } catch (IOException e) {
            throw new BadImageException(path + ": cannot read: " + e.getMessage(), e);
        }
        return parse(path.getFileName() == null ? path.toString() : path.getFileName().toString(), bytes, format);
    }

    /** Detects and parses {@code bytes}; {@code name} is used in messages. */
    public static BootImage parse(String name, byte[] bytes) {
        return parse(name, bytes, Format.AUTO);
    }

    /** Parses {@code bytes} as the given format. */
    public static BootImage parse(String name, byte[] bytes, Format format) {
        if (bytes.length == 0) {
            throw new BadImageException(name + ": the file is empty: pass the kernel or firmware image");
        }
        if (format != Format.RAW && isGzip(bytes)) {
            bytes = gunzip(name, bytes);
            if (bytes.length == 0) {
                throw new BadImageException(name + ": the gzip stream inflates to nothing: pass the kernel or firmware image");
            }
        }
        return switch (format) {
            case ELF -> {
                if (!isElf(bytes)) {
                    throw new BadImageException(name + ": not an ELF file (no 0x7f 'ELF' magic at offset 0) but --format elf was given: drop --format or pass the ELF");
                }
                yield ElfParser.parse(name, bytes);
            }
            case IMAGE -> parseLinuxImage(name, bytes, true);
            case RAW -> new RawImage(name, bytes, OptionalLong.empty());
            case AUTO -> {
                if (isElf(bytes)) {
                    yield ElfParser.parse(name, bytes);
                }
                if (hasImageMagic(bytes)) {
                    yield parseLinuxImage(name, bytes, false);
                }
                yield new RawImage(name, bytes, OptionalLong.empty());
            }
        };
    }

    static boolean isElf(byte[] b) {
        return b.length >= 4 && b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F';
    }

    static boolean hasImageMagic(byte[] b) {
        int o = LinuxImage.MAGIC_OFFSET;
        return b.length >= o + 4 && b[o] == 'A' && b[o + 1] == 'R' && b[o + 2] == 'M' && b[o + 3] == 0x64;
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static byte[] gunzip(String name, byte[] bytes) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(bytes.length * 4L, 1 << 24));
            byte[] buf = new byte[1 << 16];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                total += n;
                if (total > MAX_IMAGE_BYTES) {
                    throw new BadImageException(name + ": gzip stream inflates past " + (MAX_IMAGE_BYTES >> 20)
                            + " MiB: is this really a kernel? gunzip it yourself to check");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadImageException bad) {
                throw bad;
            }
            throw new BadImageException(name + ": corrupt gzip stream (" + e.getMessage()
                    + "): gunzip it to check, or pass --format raw to load the bytes as they are", e);
        }
    }

    private static LinuxImage parseLinuxImage(String name, byte[] bytes, boolean forced) {
        Bytes b = new Bytes(name, bytes);
        if (bytes.length < LinuxImage.HEADER_SIZE) {
            throw new BadImageException(name + ": truncated arm64 Image: " + bytes.length
                    + " bytes, shorter than the 64-byte header: the file is cut short");
        }
        long magic = b.u32le(LinuxImage.MAGIC_OFFSET, "magic");
        if (magic != LinuxImage.MAGIC) {
            throw new BadImageException(name + ": bad arm64 Image magic " + Hex.of(magic) + " at offset 0x38 (want 0x644d5241 \"ARM\\x64\")"
                    + (forced ? " but --format image was given: pass an arm64 Image (arch/arm64/boot/Image) or drop --format" : ""));
        }
        long textOffset = b.u64le(8, "text_offset");
        long imageSize = b.u64le(16, "image_size");
        long flags = b.u64le(24, "flags");
        if ((flags & 1) != 0) {
            throw new BadImageException(name + ": big-endian kernel (Image flags bit 0 at offset 0x18): wirelab runs little-endian guests; build with CONFIG_CPU_LITTLE_ENDIAN");
        }
        if (Long.compareUnsigned(textOffset, ElfParser.MAX_SEGMENT) >= 0) {
            throw new BadImageException(name + ": absurd Image text_offset " + Hex.of(textOffset) + " at offset 0x8: the header is corrupt");
        }
        if (Long.compareUnsigned(imageSize, ElfParser.MAX_SEGMENT) > 0) {
            throw new BadImageException(name + ": absurd Image image_size " + Hex.of(imageSize) + " at offset 0x10: the header is corrupt");
        }
        if (imageSize != 0 && imageSize < bytes.length) {
            throw new BadImageException(name + ": Image image_size " + Hex.of(imageSize) + " at offset 0x10 is smaller than the file ("
                    + Hex.of(bytes.length) + " bytes): the header is corrupt or the file has trailing data; strip it or use --format raw");
        }
        return new LinuxImage(name, bytes, b.u32le(0, "code0"), b.u32le(4, "code1"), textOffset, imageSize, flags,
                b.u64le(32, "res2"), b.u64le(40, "res3"), b.u64le(48, "res4"), magic, b.u32le(60, "res5"));
    }
}
