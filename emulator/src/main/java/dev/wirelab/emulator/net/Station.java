package dev.wirelab.emulator.net;

import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;

/**
 * Something on the {@link VirtualWire} besides the host: a scripted peer, a
 * replayed endpoint, the loopback that hands the guest its own frames. A station
 * is offered every frame the guest sends (after the taps and the loss model) and
 * sends with {@link VirtualWire#injectAt}, so the wire's queue, taps, loss model
 * and captures see its traffic as they see the host's. Its addresses are
 * answered by the wire's one ARP table ({@link ArpResponder}).
 */
public interface Station {
    /** The MAC this station answers ARP with for {@code address}, or null when the address is not its. */
    MacAddress arp(Ipv4Address address);

    /**
     * A frame the guest sent. Called from inside the guest's transmit: note it and send from a
     * board event or with {@link VirtualWire#injectAt}, never run the board here.
     *
     * @return true when the frame was this station's (the wire's host side then leaves it alone)
     */
    boolean fromGuest(Packet packet, byte[] frame);
}
