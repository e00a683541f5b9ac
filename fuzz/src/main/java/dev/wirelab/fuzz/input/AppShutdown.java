package dev.wirelab.fuzz.input;

import java.util.Objects;

/** The guest application shuts down one or both directions of its connection. */
public record AppShutdown(How how) implements Action {
    /** shutdown(2)'s {@code how}; the ordinal is the Linux value (SHUT_RD 0, SHUT_WR 1, SHUT_RDWR 2). */
    public enum How { RD, WR, RDWR }

    public AppShutdown {
        Objects.requireNonNull(how, "how");
    }
}
