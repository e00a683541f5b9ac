package dev.wirelab.emulator.wire;

/** A checksum field that does not hold the value its bytes call for. */
public record ChecksumMismatch(String layer, int offset, int expected, int actual) {
    public Malformation toMalformation() {
        return new Malformation(layer, "checksum", offset, String.format("checksum 0x%04x, expected 0x%04x", actual, expected));
    }

    @Override
    public String toString() {
        return String.format("%s checksum @%d: 0x%04x, expected 0x%04x", layer, offset, actual, expected);
    }
}
