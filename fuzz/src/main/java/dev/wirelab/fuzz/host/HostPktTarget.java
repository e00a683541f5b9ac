package dev.wirelab.fuzz.host;

import dev.wirelab.emulator.pkt.PktParser;
import dev.wirelab.emulator.pkt.PktSyntaxError;
import java.nio.charset.StandardCharsets;

/**
 * {@code host-pkt}: the packetdrill parser on hostile text. A script parses, or the parser throws
 * {@link PktSyntaxError} whose message is the one line {@code FILE:LINE:COLUMN: message} the user
 * sees; anything else (another exception, a multi-line message, a hang) is a lab bug.
 */
public final class HostPktTarget {
    static final String FILE = "fuzz.pkt";

    private HostPktTarget() {
    }

    public static void fuzzerTestOneInput(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            PktParser.parse(FILE, text).toString();
        } catch (PktSyntaxError e) {
            String m = e.getMessage();
            if (!m.startsWith(FILE + ":" + e.line() + ":" + e.column() + ": ") || m.contains("\n")) {
                throw new IllegalStateException("a syntax error that is not one FILE:LINE:COLUMN line: " + m, e);
            }
        }
    }
}
