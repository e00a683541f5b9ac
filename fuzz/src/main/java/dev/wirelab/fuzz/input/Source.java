package dev.wirelab.fuzz.input;

/** Which IPv4 source address a segment claims. */
public enum Source {
    /** The scripted peer (10.0.2.100 in the default profile). */
    PEER,
    /** 0.0.0.0 — the smoltcp #1144 shape. */
    UNSPECIFIED,
    /** Another host on the subnet that the guest has not talked to (10.0.2.101). */
    OTHER_HOST
}
