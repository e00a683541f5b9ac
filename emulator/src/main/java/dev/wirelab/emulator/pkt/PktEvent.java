package dev.wirelab.emulator.pkt;

import java.util.List;

/** One timed line of a script: a packet in or out, a syscall, or something we do not run (shell, Python). */
public sealed interface PktEvent {
    /** The line the event's time is on (packetdrill's error line). */
    int line();

    EventTime time();

    enum Direction {
        /** {@code <}: the scripted peer sends it to the guest. */
        INBOUND,
        /** {@code >}: the guest must send it. */
        OUTBOUND;

        public String arrow() {
            return this == INBOUND ? "<" : ">";
        }
    }

    /**
     * A TCP segment: {@code flags} as written ("S", "S.", ".", "P.", "" for {@code -}), sequence
     * {@code start:end(len)} and {@code ack} relative to each side's ISN, {@code win}/{@code urg} (null:
     * not given), {@code options} (null: {@code <...>}, anything goes; empty: none), {@code ports}
     * (null: the connection's), {@code ipInfo} (tos/ecn/ttl text, null when absent).
     */
    record TcpPacket(int line, EventTime time, Direction direction, String flags, long seqStart, long seqEnd,
                     int len, Long ack, Long win, Long urg, List<TcpOpt> options, Ports ports, String ipInfo)
            implements PktEvent {
        public TcpPacket {
            options = options == null ? null : List.copyOf(options);
        }
    }

    record Ports(int source, int destination) { }

    /** A UDP or ICMP packet, or an encapsulated one: parsed, kept as text, unsupported when run. */
    record OtherPacket(int line, EventTime time, Direction direction, String kind, String text) implements PktEvent { }

    /**
     * {@code name(args) = result [ERRNO (note)]}, with {@code endUsecs} for a blocking call's
     * {@code ...END} (null: not blocking; relative like the start when the start is).
     */
    record Syscall(int line, EventTime time, String name, List<Expr> args, Expr result, String errno, String note,
                   Long endUsecs) implements PktEvent {
        public Syscall {
            args = List.copyOf(args);
        }
    }

    /** A back-quoted shell line (untimed at the top or bottom of a script). */
    record Shell(int line, EventTime time, String command) implements PktEvent { }

    /** A {@code %{ python }%} block. */
    record Code(int line, EventTime time, String code) implements PktEvent { }
}
