package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Snapshottable;
import dev.wirelab.emulator.wire.Bytes;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A read-only TFTP server at 10.0.2.2:69 (RFC 1350, options RFC 2347/2348/2349) that behaves like
 * QEMU's slirp: it answers from port 69 itself, serves octet-mode read requests from one folder,
 * says "File not found" (error 1) for a missing file and "Access violation" (error 2) for writes and
 * names that leave the folder, acknowledges blksize (clamped to 512..1428) and tsize in an OACK, and
 * never retransmits (the client does). Every reply is a response to a guest frame, so transfers are
 * as deterministic as the guest.
 */
public final class TftpServer implements Station {
    public static final int PORT = 69;
    static final int RRQ = 1, WRQ = 2, DATA = 3, ACK = 4, ERROR = 5, OACK = 6;
    static final int NOT_FOUND = 1, ACCESS_VIOLATION = 2, ILLEGAL_OPERATION = 4, UNKNOWN_TID = 5;
    static final int DEFAULT_BLKSIZE = 512;
    static final int MAX_BLKSIZE = 1428;

    /** One transfer in progress, by client address and port. */
    public record Session(String file, int blksize, int lastBlock, boolean done) { }

    /** What a snapshot keeps: the transfers in progress. */
    public record State(Map<String, Session> sessions, long requests) {
        public State {
            sessions = Map.copyOf(sessions);
        }
    }

    private final VirtualWire wire;
    private final Path root;
    private final TreeMap<String, Session> sessions = new TreeMap<>();
    private long requests;

    private TftpServer(VirtualWire wire, Path root) {
        this.wire = wire;
        this.root = root.toAbsolutePath().normalize();
    }

    /** Serves {@code folder} on {@code wire}'s host address (QEMU: {@code -nic user,tftp=folder}). */
    public static TftpServer serve(VirtualWire wire, Path folder) {
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException("TFTP folder " + folder + " is not a folder: give the folder to serve");
        }
        TftpServer s = new TftpServer(wire, folder);
        wire.addStation(s);
        wire.board().addSnapshottable(Snapshottable.of(s::save, s::restore));
        return s;
    }

    /** Read requests received so far. */
    public long requests() {
        return requests;
    }

    @Override
    public MacAddress arp(Ipv4Address address) {
        return null; // 10.0.2.2 is the host's: the wire already answers for it
    }

    @Override
    public boolean fromGuest(Packet packet, byte[] frame) {
        UdpDatagram udp = packet.udp();
        if (udp == null || udp.destinationPort() != PORT || packet.ipv4() == null || !packet.isWellFormed()
                || !packet.ipv4().destination().equals(VirtualWire.HOST_IP)) {
            return false;
        }
        Ipv4Address client = packet.ipv4().source();
        int port = udp.sourcePort();
        Bytes b = udp.payload();
        if (b.length() < 2) {
            return true;
        }
        String key = client + ":" + port;
        switch (b.u16(0)) {
            case RRQ -> readRequest(client, port, key, b);
            case WRQ -> error(client, port, ACCESS_VIOLATION, "Access violation");
            case ACK -> {
                Session s = sessions.get(key);
                if (s == null || b.length() < 4) {
                    error(client, port, UNKNOWN_TID, "Unknown transfer ID");
                } else if (b.u16(2) == (s.lastBlock() & 0xffff)) {
                    if (s.done()) {
                        sessions.remove(key);
                    } else {
                        sendBlock(client, port, key, s, s.lastBlock() + 1);
                    }
                } // an ACK of an older block: the client's duplicate, ignored
            }
            case ERROR -> sessions.remove(key);
            default -> error(client, port, ILLEGAL_OPERATION, "Illegal operation");
        }
        return true;
    }

    private void readRequest(Ipv4Address client, int port, String key, Bytes b) {
        requests++;
        String[] fields = strings(b);
        if (fields.length < 2) {
            error(client, port, ILLEGAL_OPERATION, "Illegal operation");
            return;
        }
        if (!fields[1].equalsIgnoreCase("octet")) {
            error(client, port, ILLEGAL_OPERATION, "Unsupported transfer mode");
            return;
        }
        Path file = resolve(fields[0]);
        if (file == null) {
            error(client, port, ACCESS_VIOLATION, "Access violation");
            return;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            error(client, port, NOT_FOUND, "File not found");
            return;
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            error(client, port, NOT_FOUND, "File not found");
            return;
        }
        int blksize = DEFAULT_BLKSIZE;
        ByteArrayOutputStream oack = new ByteArrayOutputStream();
        for (int i = 2; i + 1 < fields.length; i += 2) {
            String name = fields[i].toLowerCase(Locale.ROOT);
            String value = fields[i + 1];
            try {
                if (name.equals("blksize")) {
                    blksize = Math.max(8, Math.min(MAX_BLKSIZE, Integer.parseInt(value)));
                    option(oack, "blksize", Integer.toString(blksize));
                } else if (name.equals("tsize")) {
                    option(oack, "tsize", Long.toString(size));
                }
            } catch (NumberFormatException e) {
                // a malformed option value is ignored, as an unknown option is
            }
        }
        if (size / blksize >= 0xffff) {
            error(client, port, 3, "File too large");
            return;
        }
        String name = root.relativize(file).toString();
        if (oack.size() > 0) {
            sessions.put(key, new Session(name, blksize, 0, false));
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            u16(o, OACK);
            o.writeBytes(oack.toByteArray());
            send(client, port, o.toByteArray());
        } else {
            sendBlock(client, port, key, new Session(name, blksize, 0, false), 1);
        }
    }

    /** The file a request names inside the folder, or null when the name leaves it. */
    private Path resolve(String name) {
        String n = name;
        while (n.startsWith("/")) {
            n = n.substring(1);
        }
        if (n.isEmpty() || n.indexOf('\0') >= 0) {
            return null;
        }
        Path p = root.resolve(n).normalize();
        return p.startsWith(root) ? p : null;
    }

    private void sendBlock(Ipv4Address client, int port, String key, Session s, int block) {
        byte[] data;
        try {
            data = Files.readAllBytes(root.resolve(s.file()));
        } catch (IOException e) {
            sessions.remove(key);
            error(client, port, NOT_FOUND, "File not found");
            return;
        }
        long from = (long) (block - 1) * s.blksize();
        int len = (int) Math.max(0, Math.min(s.blksize(), data.length - from));
        ByteArrayOutputStream o = new ByteArrayOutputStream(4 + len);
        u16(o, DATA);
        u16(o, block & 0xffff);
        o.write(data, (int) Math.min(from, data.length), len);
        sessions.put(key, new Session(s.file(), s.blksize(), block, len < s.blksize()));
        send(client, port, o.toByteArray());
    }

    private void error(Ipv4Address client, int port, int code, String message) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        u16(o, ERROR);
        u16(o, code);
        o.writeBytes(message.getBytes(StandardCharsets.US_ASCII));
        o.write(0);
        send(client, port, o.toByteArray());
    }

    private void send(Ipv4Address client, int port, byte[] payload) {
        wire.sendIpv4(VirtualWire.HOST_IP, client, UdpDatagram.builder().ports(PORT, port).payload(payload));
    }

    /** The NUL-terminated strings after the opcode. */
    private static String[] strings(Bytes b) {
        java.util.List<String> out = new java.util.ArrayList<>();
        int start = 2;
        for (int i = 2; i < b.length(); i++) {
            if (b.u8(i) == 0) {
                out.add(new String(b.slice(start, i - start).toArray(), StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return out.toArray(String[]::new);
    }

    private static void option(ByteArrayOutputStream o, String name, String value) {
        o.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
        o.write(0);
        o.writeBytes(value.getBytes(StandardCharsets.US_ASCII));
        o.write(0);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    State save() {
        return new State(sessions, requests);
    }

    void restore(State s) {
        sessions.clear();
        sessions.putAll(s.sessions());
        requests = s.requests();
    }
}
