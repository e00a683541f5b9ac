package dev.wirelab.emulator.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A guest image's name ("default" for the embedded guest, else the file name) and the SHA-256 of its bytes. */
public record ImageDigest(String name, String sha256) {
    public static ImageDigest of(String name, byte[] bytes) {
        try {
            return new ImageDigest(name, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    static ImageDigest ofFile(Path file) {
        try {
            return of(String.valueOf(file.getFileName()), Files.readAllBytes(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return name + " sha256=" + sha256;
    }
}
