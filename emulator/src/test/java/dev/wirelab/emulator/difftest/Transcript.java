package dev.wirelab.emulator.difftest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * What one run of a guest produced: the console bytes (PL011 TX and semihosting
 * output, in the order the guest wrote them), the exit code, and whether the
 * run hit its hard limit instead of exiting.
 */
public record Transcript(byte[] console, int exitCode, boolean timedOut) {

    public Transcript {
        console = console.clone();
    }

    @Override
    public byte[] console() {
        return console.clone();
    }

    /** The console as text, byte for byte (ISO-8859-1), for messages and diffs. */
    public String text() {
        return new String(console, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transcript t
                && Arrays.equals(console, t.console)
                && exitCode == t.exitCode
                && timedOut == t.timedOut;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(console) + exitCode) + Boolean.hashCode(timedOut);
    }

    @Override
    public String toString() {
        return "Transcript[exitCode=" + exitCode + ", timedOut=" + timedOut + ", console=\n" + text() + "]";
    }
}
