package dev.wirelab.fuzz.input;

/** The guest application writes {@code n} bytes (a fixed, position-derived pattern) to its connection. */
public record AppWrite(int n) implements Action {
    public AppWrite {
        Limits.check("write length", n, 0, Limits.MAX_APP_BYTES);
    }
}
