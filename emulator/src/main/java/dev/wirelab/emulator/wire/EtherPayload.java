package dev.wirelab.emulator.wire;

/** Something that can be carried in an Ethernet frame: a network-layer builder. */
public interface EtherPayload {
    int etherType();

    byte[] encode();
}
