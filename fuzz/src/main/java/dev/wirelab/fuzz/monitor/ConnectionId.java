package dev.wirelab.fuzz.monitor;

/** A connection named by its two endpoints in the order the first segment seen went (a → b). */
public record ConnectionId(Endpoint a, Endpoint b) {
    @Override
    public String toString() {
        return a + " <-> " + b;
    }
}
