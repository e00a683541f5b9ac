package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.wire.Packet;

/**
 * One frame on the wire, as the lab saw it.
 *
 * @param ticks        virtual time (counter ticks since reset)
 * @param instructions retired instructions at that instant
 * @param direction    "out" (guest sent it) or "in" (the guest's NIC took it)
 * @param bytes        the Ethernet frame
 */
public record FrameEvent(long ticks, long instructions, String direction, byte[] bytes) {
    public FrameEvent {
        bytes = bytes.clone();
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The frame decoded (never throws). */
    public Packet getPacket() {
        return Packet.parse(bytes);
    }

    public boolean isOut() {
        return direction.equals("out");
    }

    @Override
    public String toString() {
        return String.format("%s %-3s %s", Lab.formatTime(ticks), direction, getPacket());
    }
}
