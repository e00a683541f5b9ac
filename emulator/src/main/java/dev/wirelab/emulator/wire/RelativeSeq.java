package dev.wirelab.emulator.wire;

/**
 * One direction of a TCP flow in relative numbers, as Wireshark and packetdrill
 * show them: offsets from the sender's initial sequence number, and how far the
 * sender has got ({@link #next}, relative). Until the ISN is known the numbers
 * are absolute. Immutable: each step returns a new value.
 *
 * <p>Offsets are RFC 1982 signed distances from the ISN
 * ({@link SeqNumber#signedDistanceTo}): a flow's numbers read 0, 1, 2 ... across
 * the 2<sup>32</sup> wrap, and a number just before the ISN reads negative. The
 * lab's scripted peer, {@code expect} and the replayer's rebasing all count with it.
 *
 * @param isn  the sender's ISN, or null while it is not known
 * @param next the relative sequence number after the last one the sender used
 */
public record RelativeSeq(SeqNumber isn, long next) {
    /** Nothing seen yet: numbers are absolute. */
    public static final RelativeSeq UNKNOWN = new RelativeSeq(null, 0);

    /** A flow direction that starts at {@code isn} (its SYN). */
    public static RelativeSeq from(SeqNumber isn) {
        return new RelativeSeq(isn, 0);
    }

    public boolean known() {
        return isn != null;
    }

    /** {@code s} relative to the ISN (the absolute value while the ISN is not known). */
    public long relative(SeqNumber s) {
        return isn == null ? s.value() : isn.signedDistanceTo(s);
    }

    /** The sequence number {@code rel} steps after the ISN (taken as absolute while the ISN is not known). */
    public SeqNumber absolute(long rel) {
        return isn == null ? SeqNumber.of(rel) : isn.plus(rel);
    }

    /** The sender used numbers up to {@code relEnd} (exclusive). */
    public RelativeSeq advancedTo(long relEnd) {
        return new RelativeSeq(isn, Math.max(next, relEnd));
    }

    /** The sender sent {@code s}, occupying {@code sequenceLength} numbers (SYN and FIN count one each). */
    public RelativeSeq sent(SeqNumber s, long sequenceLength) {
        return isn == null ? this : advancedTo(relative(s) + sequenceLength);
    }
}
