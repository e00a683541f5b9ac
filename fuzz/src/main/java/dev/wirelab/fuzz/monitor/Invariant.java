package dev.wirelab.fuzz.monitor;

/** The TCP invariants the passive wire monitor checks, each about one sender's segments. */
public enum Invariant {
    /** The sender acknowledged sequence space its peer never sent (RFC 9293 §3.10.7.4: an ACK of something not yet sent). */
    ACK_OF_UNSENT("ack of data never sent"),
    /** The right edge of the sender's advertised receive window moved backwards (RFC 9293 §3.8.6 "shrinking the window"). */
    WINDOW_SHRUNK("receive window right edge moved backwards"),
    /** The sender acknowledged past the right edge it last advertised: it accepted data outside its own window. */
    DATA_OUTSIDE_WINDOW("data accepted outside the advertised window"),
    /** The sender sent data or a new FIN beyond the FIN it already sent. */
    DATA_AFTER_FIN("data after FIN"),
    /** The sender's cumulative acknowledgment moved backwards. */
    SEQUENCE_BACKWARDS("sequence space going backwards");

    private final String title;

    Invariant(String title) {
        this.title = title;
    }

    /** A short, stable description used in finding titles. */
    public String title() {
        return title;
    }

    /** Parses the name users write in a profile ({@code window-shrunk} or {@code WINDOW_SHRUNK}). */
    public static Invariant parse(String name) {
        String n = name.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Invariant i : values()) {
            if (i.name().equals(n)) {
                return i;
            }
        }
        throw new IllegalArgumentException("unknown TCP invariant '" + name + "' (known: ack-of-unsent, window-shrunk, "
                + "data-outside-window, data-after-fin, sequence-backwards)");
    }

    /** The name users write: {@code window-shrunk}. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
