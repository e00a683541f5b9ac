package dev.wirelab.emulator.boot;

import java.util.OptionalLong;

/**
 * Raw bytes with no header: firmware started at flash address 0, as QEMU's
 * {@code -bios}, or (with a load address) bytes placed and started at that address.
 *
 * @param name        file name, for messages
 * @param bytes       the file contents
 * @param loadAddress where to load and start it; empty means flash base
 */
public record RawImage(String name, byte[] bytes, OptionalLong loadAddress) implements BootImage {

    public RawImage {
        if (loadAddress == null) {
            loadAddress = OptionalLong.empty();
        }
    }

    @Override
    public String formatName() {
        return "raw";
    }

    /** The same bytes, loaded and started at {@code address} instead of flash base. */
    public RawImage at(long address) {
        return new RawImage(name, bytes, OptionalLong.of(address));
    }
}
