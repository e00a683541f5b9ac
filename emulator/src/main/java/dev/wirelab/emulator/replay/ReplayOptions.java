package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;

import java.util.ArrayList;
import java.util.List;

/**
 * How to replay a capture against the live guest.
 *
 * @param guestIp the recorded address of the endpoint the guest replaces (null: the
 *     source of a map onto {@code guestAddress}, else the TCP server of the first flow)
 * @param maps address and port rewrites ({@code 192.168.1.5=10.0.2.15}, {@code 127.0.0.1(client)=10.0.2.15},
 *     {@code 8080=7})
 * @param pacing as fast as the guest accepts, or the recorded gaps in virtual time
 * @param guestAddress the guest's live address (the default guest's 10.0.2.15) unless a map of the guest's
 *     recorded address names another
 * @param peerAddress the replayed peer's live address unless a map says otherwise (10.0.2.2)
 * @param guestMac the guest NIC's MAC (the board's default)
 * @param peerMac the MAC the replayed peer (and every other host on the wire) answers ARP with
 */
public record ReplayOptions(Ipv4Address guestIp, List<Mapping> maps, Pacing pacing, Ipv4Address guestAddress,
        Ipv4Address peerAddress, MacAddress guestMac, MacAddress peerMac) {
    public ReplayOptions {
        maps = List.copyOf(maps);
    }

    public enum Pacing {
        /** Next segment as soon as the guest's window and ACKs allow. */
        AS_FAST,
        /** Also never earlier than the recorded gap since the flow's first frame (virtual time). */
        TIMING
    }

    /** One rewrite: an IPv4 address or a port. */
    public sealed interface Mapping permits AddressMap, PortMap { }

    /**
     * An address rewrite. {@code side} picks one end of a connection whose ends share
     * the address (a loopback capture): {@code 127.0.0.1(server)=10.0.2.15}.
     */
    public record AddressMap(Ipv4Address from, Side side, Ipv4Address to) implements Mapping {
        public AddressMap(Ipv4Address from, Ipv4Address to) {
            this(from, Side.ANY, to);
        }

        /** Whether this map applies to the endpoint with {@code address} that played {@code server} or not. */
        public boolean appliesTo(Ipv4Address address, boolean server) {
            return from.equals(address) && (side == Side.ANY || (side == Side.SERVER) == server);
        }

        @Override
        public String toString() {
            return from + (side == Side.ANY ? "" : "(" + side.name().toLowerCase(java.util.Locale.ROOT) + ")") + "=" + to;
        }
    }

    /** Which end of a connection: the one that was sent the SYN (or the first packet), or the one that sent it. */
    public enum Side {
        ANY,
        SERVER,
        CLIENT
    }

    public record PortMap(int from, int to) implements Mapping {
        @Override
        public String toString() {
            return from + "=" + to;
        }
    }

    /** The default guest on the default board: 10.0.2.15 at 52:54:00:12:34:56, peer 10.0.2.2. */
    public static ReplayOptions defaults() {
        return new ReplayOptions(null, List.of(), Pacing.AS_FAST, Ipv4Address.parse("10.0.2.15"),
                Ipv4Address.parse("10.0.2.2"), MacAddress.parse("52:54:00:12:34:56"), MacAddress.parse("52:55:0a:00:02:02"));
    }

    public ReplayOptions withGuestIp(Ipv4Address v) {
        return new ReplayOptions(v, maps, pacing, guestAddress, peerAddress, guestMac, peerMac);
    }

    public ReplayOptions withMaps(List<Mapping> v) {
        return new ReplayOptions(guestIp, v, pacing, guestAddress, peerAddress, guestMac, peerMac);
    }

    public ReplayOptions withPacing(Pacing v) {
        return new ReplayOptions(guestIp, maps, v, guestAddress, peerAddress, guestMac, peerMac);
    }

    /**
     * Parses {@code OLD=NEW}: two IPv4 addresses (the old one optionally followed by
     * {@code (server)} or {@code (client)}) or two port numbers (0–65535).
     *
     * @throws ReplayInputException naming the text and the accepted forms
     */
    public static Mapping parseMapping(String text) throws ReplayInputException {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1 || text.indexOf('=', eq + 1) >= 0) {
            throw badMap(text, "expected OLD=NEW");
        }
        String a = text.substring(0, eq).strip();
        String b = text.substring(eq + 1).strip();
        boolean aPort = a.chars().allMatch(Character::isDigit);
        boolean bPort = b.chars().allMatch(Character::isDigit);
        if (aPort && bPort) {
            return new PortMap(port(text, a), port(text, b));
        }
        if (aPort || bPort) {
            throw badMap(text, "both sides must be ports or both IPv4 addresses");
        }
        Side side = Side.ANY;
        if (a.endsWith("(server)") || a.endsWith("(client)")) {
            side = a.endsWith("(server)") ? Side.SERVER : Side.CLIENT;
            a = a.substring(0, a.length() - 8).strip();
        }
        try {
            return new AddressMap(Ipv4Address.parse(a), side, Ipv4Address.parse(b));
        } catch (IllegalArgumentException e) {
            throw badMap(text, e.getMessage());
        }
    }

    /** {@link #parseMapping} for each; a port or address mapped twice is an error. */
    public static List<Mapping> parseMappings(List<String> texts) throws ReplayInputException {
        List<Mapping> out = new ArrayList<>();
        for (String t : texts) {
            Mapping m = parseMapping(t);
            for (Mapping o : out) {
                boolean same = m instanceof AddressMap x && o instanceof AddressMap y && x.from().equals(y.from())
                        && (x.side() == y.side() || x.side() == Side.ANY || y.side() == Side.ANY)
                        || m instanceof PortMap x2 && o instanceof PortMap y2 && x2.from() == y2.from();
                if (same) {
                    throw badMap(t, "maps the same " + (m instanceof PortMap ? "port" : "address") + " as --map " + o);
                }
            }
            out.add(m);
        }
        return out;
    }

    private static int port(String text, String digits) throws ReplayInputException {
        if (digits.length() > 5 || Integer.parseInt(digits) > 0xffff) {
            throw badMap(text, "port " + digits + " is out of range 0-65535");
        }
        return Integer.parseInt(digits);
    }

    private static ReplayInputException badMap(String text, String why) {
        return new ReplayInputException("bad --map '" + text + "': " + why
                + " (forms: 192.168.1.5=10.0.2.15, 127.0.0.1(server)=10.0.2.15 or 8080=7)");
    }
}
