package dev.wirelab.emulator.capture;

import java.io.IOException;

/**
 * A capture file (pcap or pcapng) is not well formed. {@link #offset()} is the byte
 * offset in the file where the problem is (the start of the offending block or
 * record, or of the field), or -1 when no single offset applies.
 */
public final class CaptureFormatException extends IOException {
    private static final long serialVersionUID = 1L;
    private final long offset;

    public CaptureFormatException(long offset, String message) {
        super(message);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
