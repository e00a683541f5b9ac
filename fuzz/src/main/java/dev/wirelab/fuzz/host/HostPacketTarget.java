package dev.wirelab.fuzz.host;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.wirelab.emulator.wire.ArpPacket;
import dev.wirelab.emulator.wire.Bytes;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.Ipv6Packet;
import dev.wirelab.emulator.wire.Malformation;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.ParseException;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code host-packet}: the wire/ decoders on hostile bytes. {@link Packet#parse} never throws; each
 * layer's own parser throws only {@link ParseException}; whatever decodes also prints.
 */
public final class HostPacketTarget {
    private HostPacketTarget() {
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) {
        int layer = data.consumeInt(0, 8);
        byte[] bytes = data.consumeRemainingAsBytes();
        switch (layer) {
            case 0 -> Packet.parse(bytes).toString();
            case 1 -> Packet.parseIp(bytes).toString();
            default -> layer(layer, Bytes.of(bytes));
        }
    }

    private static void layer(int layer, Bytes b) {
        List<Malformation> problems = new ArrayList<>();
        try {
            Object o = switch (layer) {
                case 2 -> EthernetFrame.parse(b);
                case 3 -> ArpPacket.parse(b);
                case 4 -> Ipv4Packet.parse(b, problems);
                case 5 -> Ipv6Packet.parse(b, problems);
                case 6 -> TcpSegment.parse(b, problems);
                case 7 -> UdpDatagram.parse(b, problems);
                default -> Icmpv4Message.parse(b, problems);
            };
            o.toString();
        } catch (ParseException e) {
            if (e.malformations().isEmpty()) {
                throw new IllegalStateException("a ParseException that names no malformation", e);
            }
        }
    }
}
