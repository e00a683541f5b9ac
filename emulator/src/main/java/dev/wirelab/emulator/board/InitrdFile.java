package dev.wirelab.emulator.board;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the initial ramdisk a board config names, with an error that says which file and what to do. */
final class InitrdFile {
    private InitrdFile() { }

    static byte[] read(Path file) {
        try {
            if (Files.size(file) > BoardConfig.MAX_RAM) {
                throw new IllegalArgumentException("initrd " + file + " is larger than any RAM this board has (3G)");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read initrd " + file + ": " + e.getMessage()
                    + " (give a readable file, e.g. a cpio archive)");
        }
    }
}
