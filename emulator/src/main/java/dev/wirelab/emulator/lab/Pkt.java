package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.wire.Packet;

/** A frame built by a script ({@link Lab#tcp}, {@link Lab#udp}, ...): the bytes and how they read. */
public record Pkt(byte[] bytes) {
    public Pkt {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    public Packet getPacket() {
        return Packet.parse(bytes);
    }

    public int getLength() {
        return bytes.length;
    }

    @Override
    public String toString() {
        return getPacket().toString();
    }
}
