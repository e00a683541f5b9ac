package dev.wirelab.fuzz.host;

import dev.wirelab.emulator.capture.CaptureFormatException;
import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.capture.CapturedFrame;
import dev.wirelab.emulator.wire.Packet;

/**
 * {@code host-capture}: any bytes as a pcap/pcapng file, in both reader modes, and every frame
 * read decoded. The only exception allowed is {@link CaptureFormatException}; anything else
 * escapes to Jazzer as a finding.
 */
public final class HostCaptureTarget {
    private HostCaptureTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        for (CaptureReader.Mode mode : CaptureReader.Mode.values()) {
            try {
                CaptureReader.Capture c = CaptureReader.read(data, mode);
                for (int i = 0; i < c.frames().size(); i++) {
                    CapturedFrame f = c.frames().get(i);
                    c.direction(i);
                    Packet.parse(f.data()).toString();
                }
            } catch (CaptureFormatException e) {
                if (e.getMessage() == null || e.getMessage().isBlank()) {
                    throw new IllegalStateException("a capture error without a message", e);
                }
            }
        }
    }
}
