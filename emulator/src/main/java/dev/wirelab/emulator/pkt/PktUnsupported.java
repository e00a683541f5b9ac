package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.lab.BadArgument;

/** Something a script says that this guest or lab cannot express: {@code unsupported at FILE:LINE: ...} (bad input, exit 2). */
final class PktUnsupported {
    private PktUnsupported() { }

    static BadArgument at(String file, int line, String what) {
        return new BadArgument("unsupported at " + file + ":" + line + ": " + what, null);
    }
}
