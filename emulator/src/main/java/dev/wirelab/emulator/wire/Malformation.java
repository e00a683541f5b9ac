package dev.wirelab.emulator.wire;

/**
 * One thing wrong with a packet: which layer, which field, where (byte offset in
 * the frame that was parsed), and what is wrong, in words.
 */
public record Malformation(String layer, String field, int offset, String problem) {
    @Override
    public String toString() {
        return layer + "." + field + " @" + offset + ": " + problem;
    }
}
