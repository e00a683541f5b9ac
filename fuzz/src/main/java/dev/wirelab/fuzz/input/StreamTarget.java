package dev.wirelab.fuzz.input;

import java.util.List;

/**
 * The fuzz targets whose inputs are action streams, with the actions each accepts and how often
 * the decoder picks each kind (a kind listed twice is picked twice as often).
 */
public enum StreamTarget {
    TCP_LISTEN("tcp-listen", List.of(Kind.SEGMENT, Kind.SEGMENT, Kind.SEGMENT, Kind.SEGMENT, Kind.ADVANCE,
            Kind.TICK, Kind.READ, Kind.WRITE, Kind.CLOSE)),
    TCP_ESTABLISHED("tcp-established", List.of(Kind.SEGMENT, Kind.SEGMENT, Kind.SEGMENT, Kind.SEGMENT,
            Kind.READ, Kind.READ, Kind.WRITE, Kind.ADVANCE, Kind.CLOSE, Kind.SHUTDOWN, Kind.TICK)),
    TCP_INTERLEAVE("tcp-interleave", List.of(Kind.SEGMENT, Kind.SEGMENT, Kind.TICK, Kind.TICK, Kind.TICK,
            Kind.READ, Kind.WRITE, Kind.CONNECT, Kind.CONNECT, Kind.ADVANCE, Kind.CLOSE, Kind.SHUTDOWN));

    /** Action kinds, one per {@link Action} record. */
    enum Kind { SEGMENT, READ, WRITE, CLOSE, SHUTDOWN, TICK, ADVANCE, CONNECT }

    private final String id;
    private final List<Kind> table;

    StreamTarget(String id, List<Kind> table) {
        this.id = id;
        this.table = table;
    }

    /** The name users type, e.g. {@code tcp-established}. */
    public String id() {
        return id;
    }

    public static StreamTarget byId(String id) {
        for (StreamTarget t : values()) {
            if (t.id.equals(id)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown stream target '" + id + "' (known: tcp-listen, tcp-established, tcp-interleave)");
    }

    List<Kind> table() {
        return table;
    }

    static Kind kindOf(Action a) {
        return switch (a) {
            case Segment s -> Kind.SEGMENT;
            case AppRead r -> Kind.READ;
            case AppWrite w -> Kind.WRITE;
            case AppClose c -> Kind.CLOSE;
            case AppShutdown s -> Kind.SHUTDOWN;
            case Tick t -> Kind.TICK;
            case Advance v -> Kind.ADVANCE;
            case Connect c -> Kind.CONNECT;
        };
    }

    public boolean accepts(Action a) {
        return table.contains(kindOf(a));
    }
}
