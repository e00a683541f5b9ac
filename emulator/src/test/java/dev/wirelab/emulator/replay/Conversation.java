package dev.wirelab.emulator.replay;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.capture.PcapngWriter;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Writes a recorded TCP conversation between a client and a server as pcapng, one
 * call per segment, keeping both sides' sequence numbers (test helper).
 */
final class Conversation {
    final Ipv4Address clientIp;
    final int clientPort;
    final Ipv4Address serverIp;
    final int serverPort;
    private final PcapngWriter w = PcapngWriter.inMemory();
    private SeqNumber clientSeq = SeqNumber.of(1_000_000);
    private SeqNumber serverSeq = SeqNumber.of(3_000_000_000L);
    private long t = 1_700_000_000_000_000_000L;
    int frames;

    Conversation(String client, int clientPort, String server, int serverPort) {
        this.clientIp = Ipv4Address.parse(client);
        this.clientPort = clientPort;
        this.serverIp = Ipv4Address.parse(server);
        this.serverPort = serverPort;
    }

    /** Other initial sequence numbers (before the first segment). */
    Conversation isn(long client, long server) {
        clientSeq = SeqNumber.of(client);
        serverSeq = SeqNumber.of(server);
        return this;
    }

    Conversation client(String flags, String data) {
        return segment(true, flags, data);
    }

    Conversation server(String flags, String data) {
        return segment(false, flags, data);
    }

    /** The usual three-way handshake. */
    Conversation handshake() {
        return client("S", "").server("S.", "").client(".", "");
    }

    private Conversation segment(boolean fromClient, String flagText, String data) {
        int flags = TcpFlags.parse(flagText);
        byte[] payload = data.getBytes(StandardCharsets.ISO_8859_1);
        SeqNumber seq = fromClient ? clientSeq : serverSeq;
        SeqNumber ack = fromClient ? serverSeq : clientSeq;
        TcpSegment.Builder b = TcpSegment.builder().ports(fromClient ? clientPort : serverPort, fromClient ? serverPort : clientPort)
                .seq(seq).flags(flags).window(29200).payload(payload);
        if ((flags & TcpFlags.ACK) != 0) {
            b.ack(ack);
        }
        if ((flags & TcpFlags.SYN) != 0) {
            b.option(TcpOption.mss(1460));
        }
        long len = payload.length + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
        if (fromClient) {
            clientSeq = clientSeq.plus(len);
        } else {
            serverSeq = serverSeq.plus(len);
        }
        Ipv4Address src = fromClient ? clientIp : serverIp;
        Ipv4Address dst = fromClient ? serverIp : clientIp;
        byte[] frame = EthernetFrame.builder().source(MacAddress.parse(fromClient ? "02:00:00:00:00:01" : "02:00:00:00:00:02"))
                .destination(MacAddress.parse(fromClient ? "02:00:00:00:00:02" : "02:00:00:00:00:01"))
                .payload(Ipv4Packet.builder().source(src).destination(dst).payload(b)).encode();
        try {
            w.write(t, frame, Direction.UNKNOWN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        t += 1_000_000; // 1 ms apart
        frames++;
        return this;
    }

    byte[] pcapng() {
        try {
            return w.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
