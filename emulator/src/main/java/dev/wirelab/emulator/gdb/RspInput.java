package dev.wirelab.emulator.gdb;

/** What the RSP decoder found in the byte stream from the debugger, in order. */
public sealed interface RspInput {
    /** A well-formed packet; {@code payload} is unescaped and run-length expanded. */
    record Packet(byte[] payload) implements RspInput {
        public String text() {
            return new String(payload, java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** A packet whose checksum did not match (answered with '-' in ack mode). */
    record BadChecksum(int expected, int received) implements RspInput { }

    /** A packet longer than the limit, or with a malformed run-length or checksum (dropped whole). */
    record Malformed(String why) implements RspInput { }

    /** The debugger's Ctrl-C (a bare 0x03 byte between packets). */
    record Interrupt() implements RspInput { }

    /** '+': the debugger received our last packet. */
    record Ack() implements RspInput { }

    /** '-': the debugger wants our last packet again. */
    record Nack() implements RspInput { }
}
