package dev.wirelab.emulator.difftest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Copies guest images from the classpath to files, once per JVM, for runners that need a path. */
public final class GuestImages {
    private static final Map<String, Path> COPIES = new ConcurrentHashMap<>();
    private static Path dir;

    private GuestImages() { }

    /** A file holding the image of {@code c}; fails with a clear message if the guest module did not build it. */
    public static Path file(GuestCase c) throws IOException {
        try {
            return COPIES.computeIfAbsent(c.resource(), r -> copy(c));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static Path copy(GuestCase c) {
        try (InputStream in = GuestImages.class.getResourceAsStream(c.resource())) {
            if (in == null) {
                throw new IOException("guest image " + c.resource() + " is not on the test classpath"
                        + " (built by the wirelab-guest module from guest/tests)");
            }
            Path target = directory().resolve(c.fileName());
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            target.toFile().deleteOnExit();
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static synchronized Path directory() throws IOException {
        if (dir == null) {
            dir = Files.createTempDirectory("wirelab-difftest");
            dir.toFile().deleteOnExit();
        }
        return dir;
    }
}
