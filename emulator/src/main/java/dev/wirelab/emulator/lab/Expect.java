package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpSegment;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** packetdrill-style matching of the guest's next packet to the peer. */
final class Expect {
    private Expect() { }

    static final String ANY = "*";

    static Packet expect(Lab lab, Map<String, ?> spec, String where) {
        long within = spec.containsKey("within") ? Lab.num(spec.get("within")) : Lab.DEFAULT_EXPECT_TICKS;
        Long at = spec.containsKey("at") ? Lab.num(spec.get("at")) : null;
        long tolerance = spec.containsKey("tolerance") ? Lab.num(spec.get("tolerance")) : lab.ms(4);
        boolean eventually = Lab.truthy(spec.get("eventually"));
        long deadline = lab.getNow() + within;
        if (at != null) {
            deadline = Math.max(deadline, at + tolerance);
        }
        List<String> skipped = new ArrayList<>();
        while (true) {
            long left = deadline - lab.getNow();
            FrameEvent ev = left <= 0 ? null : lab.nextOut(left);
            if (ev == null) {
                String why = "no packet from the guest within " + Lab.formatTime(within) + " of virtual time";
                var panic = lab.getPanic();
                throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "expect failed: " + why
                        + "\n  expected: " + describeSpec(spec)
                        + (skipped.isEmpty() ? "" : "\n  skipped:  " + String.join("\n            ", skipped))
                        + (panic != null ? "\n  guest panicked: " + panic.title() : "")
                        + "\n  now:      " + lab.getStatus(), where);
            }
            Packet p = ev.getPacket();
            String mismatch = mismatch(lab, spec, p);
            if (mismatch == null && at != null && Math.abs(ev.ticks() - at) > tolerance) {
                mismatch = "time (arrived at " + Lab.formatTime(ev.ticks()) + ", expected " + Lab.formatTime(at) + " ± "
                        + Lab.formatTime(tolerance) + ")";
            }
            if (mismatch == null) {
                return p;
            }
            if (eventually) {
                skipped.add(relative(lab, p) + " at " + Lab.formatTime(ev.ticks()));
                continue;
            }
            throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "expect failed: " + mismatch
                    + "\n  expected: " + describeSpec(spec)
                    + "\n  actual:   " + relative(lab, p) + " at " + Lab.formatTime(ev.ticks())
                    + "\n            (" + p + ")", where);
        }
    }

    /** Runs for {@code within} (default 2 s) and fails on any packet the guest sends the peer in that span. */
    static void none(Lab lab, Map<String, ?> spec, String where) {
        long within = spec.containsKey("within") ? Lab.num(spec.get("within")) : Lab.DEFAULT_EXPECT_TICKS;
        FrameEvent ev = lab.nextOut(within);
        if (ev != null) {
            throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "expectNone failed: the guest sent a packet"
                    + "\n  actual:   " + relative(lab, ev.getPacket()) + " at " + Lab.formatTime(ev.ticks()), where);
        }
    }

    /** Strict mode: fails if the guest sent the peer a packet no expect took. */
    static void noUnexpected(Lab lab, String where) {
        List<FrameEvent> pending = lab.getPending();
        if (!pending.isEmpty()) {
            FrameEvent ev = pending.get(0);
            throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "unexpected packet from the guest (strict mode: "
                    + "expect every packet it sends)\n  actual:   " + relative(lab, ev.getPacket()) + " at "
                    + Lab.formatTime(ev.ticks()), where);
        }
    }

    /** The first field that differs, or null when {@code p} matches. */
    static String mismatch(Lab lab, Map<String, ?> spec, Packet p) {
        String proto = String.valueOf(Lab.get(spec, "proto", "tcp"));
        switch (proto) {
            case "udp" -> {
                if (p.udp() == null) {
                    return "protocol (not UDP)";
                }
                if (!eq(spec.get("sport"), p.udp().sourcePort()) || !eq(spec.get("dport"), p.udp().destinationPort())) {
                    return "ports";
                }
                return dataMismatch(spec, p.udp().payload().toArray());
            }
            case "icmp" -> {
                if (p.icmp() == null) {
                    return "protocol (not ICMP)";
                }
                if (!eq(spec.get("type"), p.icmp().type())) {
                    return "icmp type";
                }
                return null;
            }
            default -> { }
        }
        TcpSegment t = p.tcp();
        if (t == null) {
            return "protocol (not TCP)";
        }
        Object flags = spec.get("flags");
        if (flags != null && !ANY.equals(flags) && TcpFlags.parse(String.valueOf(flags)) != t.flags()) {
            return "flags";
        }
        if (!eq(spec.get("sport"), t.sourcePort())) {
            return "source port";
        }
        if (!eq(spec.get("dport"), t.destinationPort())) {
            return "destination port";
        }
        Lab.Flow f = lab.flow(t.destinationPort(), t.sourcePort());
        if (!eq(spec.get("seq"), (f == null ? t.seq().value() : f.guest.relative(t.seq())))) {
            return "seq";
        }
        if (!eq(spec.get("ack"), (f == null ? t.ack().value() : f.peer.relative(t.ack())))) {
            return "ack";
        }
        if (!eq(spec.get("win"), t.window())) {
            return "window";
        }
        String opt = TcpOptionMatch.mismatch(spec, t.options(), f == null || !f.peer.known() ? 0 : f.peer.isn().value());
        if (opt != null) {
            return opt;
        }
        return dataMismatch(spec, t.payload().toArray());
    }

    private static String dataMismatch(Map<String, ?> spec, byte[] data) {
        if (!eq(spec.get("len"), data.length)) {
            return "payload length";
        }
        Object d = spec.get("data");
        if (d != null && !ANY.equals(d)) {
            byte[] want = d instanceof byte[] b ? b : String.valueOf(d).getBytes(StandardCharsets.UTF_8);
            if (!java.util.Arrays.equals(want, data)) {
                return "payload";
            }
        }
        return null;
    }

    private static boolean eq(Object want, long actual) {
        if (want == null || ANY.equals(want)) {
            return true;
        }
        return (Lab.num(want) & 0xffffffffL) == (actual & 0xffffffffL);
    }

    static String describeSpec(Map<String, ?> spec) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.valueOf(Lab.get(spec, "proto", "tcp")));
        for (String k : List.of("sport", "dport", "flags", "seq", "ack", "win", "len", "data", "type", "mss", "wscale",
                "sackOK", "sack", "ts", "options")) {
            if (spec.containsKey(k)) {
                sb.append(' ').append(k).append(' ').append(spec.get(k) instanceof String s && k.equals("data")
                        ? "'" + s + "'" : spec.get(k));
            }
        }
        if (spec.containsKey("at")) {
            sb.append(" at ").append(Lab.formatTime(Lab.num(spec.get("at"))));
        }
        return sb.toString();
    }

    /** A packet as the script would write it: seq/ack relative to the ISNs. */
    static String relative(Lab lab, Packet p) {
        TcpSegment t = p.tcp();
        if (t == null) {
            return p.toString();
        }
        Lab.Flow f = lab.flow(t.destinationPort(), t.sourcePort());
        String data = new String(t.payload().toArray(), StandardCharsets.ISO_8859_1);
        if (data.length() > 32) {
            data = data.substring(0, 32) + "...";
        }
        return "tcp sport " + t.sourcePort() + " dport " + t.destinationPort() + " flags " + TcpFlags.format(t.flags())
                + " seq " + (f == null ? t.seq().value() : f.guest.relative(t.seq()))
                + " ack " + (f == null ? t.ack().value() : f.peer.relative(t.ack())) + " win " + t.window()
                + " len " + t.payload().length() + (t.options().isEmpty() ? "" : " " + t.options())
                + (data.isEmpty() ? "" : " data '" + data.replace("\n", "\\n") + "'");
    }
}
