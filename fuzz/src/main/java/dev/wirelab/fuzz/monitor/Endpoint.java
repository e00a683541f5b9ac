package dev.wirelab.fuzz.monitor;

import dev.wirelab.emulator.wire.IpAddress;

/** One side of a TCP connection: address and port. */
public record Endpoint(IpAddress address, int port) {
    @Override
    public String toString() {
        return address + ":" + port;
    }
}
