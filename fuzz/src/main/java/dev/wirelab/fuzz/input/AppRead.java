package dev.wirelab.fuzz.input;

/** The guest application reads up to {@code n} bytes from its connection (no read if nothing is queued). */
public record AppRead(int n) implements Action {
    public AppRead {
        Limits.check("read length", n, 0, Limits.MAX_APP_BYTES);
    }
}
