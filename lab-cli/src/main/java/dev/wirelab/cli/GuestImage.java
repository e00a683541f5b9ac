package dev.wirelab.cli;

import dev.wirelab.emulator.boot.BadImageException;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.boot.RawImage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a guest image comes from: a file the user named, or a guest embedded
 * in the wirelab build as a classpath resource (read as bytes, no temp file).
 */
public final class GuestImage {
    /** The default kernel (the network guest), when the build includes it. */
    public static final String DEFAULT_KERNEL = "/guest/kernel/wirelab-guest.elf";
    /** What runs when the default kernel is not in this build. */
    public static final String FALLBACK = "/guest/tests/hello.elf";

    private GuestImage() { }

    /** An embedded guest's bytes, if the build has it. */
    public static Optional<byte[]> resource(String name) {
        try (InputStream in = GuestImage.class.getResourceAsStream(name)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read embedded guest " + name, e);
        }
    }

    /** An embedded guest that must exist (the build is broken if it does not). */
    public static BootImage embedded(String name) {
        byte[] bytes = resource(name).orElseThrow(() -> new IllegalStateException(
                "embedded guest " + name + " is missing from this build: rebuild with scripts/build"));
        return BootImages.parse(name.substring(name.lastIndexOf('/') + 1), bytes);
    }

    /**
     * The embedded default guest; when this build has no default kernel yet,
     * the hello test guest, with a note on {@code io.err()}.
     */
    public static BootImage defaultGuest(Io io) {
        Optional<byte[]> kernel = resource(DEFAULT_KERNEL);
        if (kernel.isPresent()) {
            return BootImages.parse("wirelab-guest.elf", kernel.get());
        }
        io.err().println("wirelab: this build has no default kernel (" + DEFAULT_KERNEL
                + "); booting the test guest " + FALLBACK + " instead");
        return embedded(FALLBACK);
    }

    /**
     * Reads {@code path} as {@code format}; {@code loadAddress} places a raw
     * image (null: raw images go to flash at 0, like QEMU's -bios).
     */
    public static BootImage file(Path path, BootImages.Format format, Long loadAddress) {
        if (Files.isDirectory(path)) {
            throw new UserError(path + " is a directory: pass the kernel image file inside it");
        }
        if (Files.exists(path) && !Files.isReadable(path)) {
            throw new UserError(path + ": not readable: check its permissions");
        }
        BootImage image = BootImages.load(path, format);
        if (loadAddress == null) {
            return image;
        }
        if (image instanceof RawImage raw) {
            return raw.at(loadAddress);
        }
        throw new BadImageException(image.name() + " is an " + image.formatName()
                + " image, which says where it loads: --load-addr applies to raw images only (add --format raw to load the bytes as they are)");
    }
}
