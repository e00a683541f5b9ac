package dev.wirelab.emulator.difftest;

import java.nio.file.Path;

/** Runs a test guest on wirelab's board; the counterpart of {@link QemuRunner}. */
public interface WirelabRunner {
    Transcript run(GuestCase c, Path image, byte[] stdin) throws Exception;
}
