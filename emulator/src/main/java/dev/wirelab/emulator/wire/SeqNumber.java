package dev.wirelab.emulator.wire;

/**
 * A TCP sequence (or acknowledgement) number: a point on a circle of 2<sup>32</sup>,
 * not an integer. There is deliberately no {@code minus(SeqNumber)} that returns a
 * plain number: every difference says what it means.
 *
 * <ul>
 *   <li>{@link #plus(long)} / {@link #minus(long)} move along the circle (mod 2<sup>32</sup>) —
 *       always defined.</li>
 *   <li>{@link #signedDistanceTo} is RFC 1982 serial arithmetic: the shortest signed
 *       step from this number to the other, in [-2<sup>31</sup>, 2<sup>31</sup>).</li>
 *   <li>{@link #forwardDistanceTo} is the step going forward only, in [0, 2<sup>32</sup>).</li>
 *   <li>{@link #checkedDistanceFrom} is "this − earlier" for code that believes
 *       {@code earlier} is not after {@code this}; if that belief is wrong it throws
 *       {@link ArithmeticException} rather than wrapping — the decision smoltcp 0.12's
 *       {@code attempt to subtract sequence numbers with underflow} panic encodes.</li>
 * </ul>
 *
 * Ordering follows RFC 793 §3.3 / RFC 1982: {@code a} is before {@code b} when the
 * signed distance from {@code a} to {@code b} is positive. Two numbers exactly
 * 2<sup>31</sup> apart are not ordered (neither is before the other), so this type is
 * not {@link Comparable}.
 */
public record SeqNumber(int raw) {
    public static final SeqNumber ZERO = new SeqNumber(0);

    /** The number {@code value mod 2^32} (any long is accepted; the wrap is explicit here). */
    public static SeqNumber of(long value) {
        return new SeqNumber((int) value);
    }

    /** The number as an unsigned value in [0, 2<sup>32</sup>). */
    public long value() {
        return raw & 0xffff_ffffL;
    }

    /** This number advanced by {@code n} (mod 2<sup>32</sup>); {@code n} may be negative. */
    public SeqNumber plus(long n) {
        return new SeqNumber(raw + (int) n);
    }

    /** This number moved back by {@code n} (mod 2<sup>32</sup>). */
    public SeqNumber minus(long n) {
        return new SeqNumber(raw - (int) n);
    }

    /** RFC 1982 difference {@code other − this} as a signed 32-bit step. */
    public int signedDistanceTo(SeqNumber other) {
        return other.raw - raw;
    }

    /** Steps forward from this number to {@code other}, in [0, 2<sup>32</sup>). */
    public long forwardDistanceTo(SeqNumber other) {
        return (other.raw - raw) & 0xffff_ffffL;
    }

    /**
     * {@code this − earlier} when {@code earlier} is not after this number (serial order).
     *
     * @throws ArithmeticException when {@code earlier} is after this number (the
     *     subtraction would underflow) or the two are exactly 2<sup>31</sup> apart
     */
    public long checkedDistanceFrom(SeqNumber earlier) {
        int d = raw - earlier.raw;
        if (d < 0) {
            throw new ArithmeticException("attempt to subtract sequence numbers with underflow: "
                    + this + " - " + earlier + " (" + earlier + " is " + (-(long) d) + " after " + this + ")");
        }
        return d;
    }

    /** Serial-number order: this number is strictly before {@code other}. */
    public boolean isBefore(SeqNumber other) {
        int d = other.raw - raw;
        return d > 0;
    }

    /** Serial-number order: this number is strictly after {@code other}. */
    public boolean isAfter(SeqNumber other) {
        int d = raw - other.raw;
        return d > 0;
    }

    public boolean isAtOrBefore(SeqNumber other) {
        return raw == other.raw || isBefore(other);
    }

    public boolean isAtOrAfter(SeqNumber other) {
        return raw == other.raw || isAfter(other);
    }

    /** False exactly when the two numbers are 2<sup>31</sup> apart (RFC 1982: undefined). */
    public boolean isComparableTo(SeqNumber other) {
        return other.raw - raw != Integer.MIN_VALUE;
    }

    /**
     * RFC 793 window test: {@code start ≤ this < start + size} on the circle.
     * A {@code size} of 0 contains nothing; sizes ≥ 2<sup>32</sup> contain everything.
     */
    public boolean isInWindow(SeqNumber start, long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative window size " + size);
        }
        return start.forwardDistanceTo(this) < size;
    }

    /** The later of the two in serial order (this one when they are not comparable). */
    public SeqNumber max(SeqNumber other) {
        return other.isAfter(this) ? other : this;
    }

    /** The earlier of the two in serial order (this one when they are not comparable). */
    public SeqNumber min(SeqNumber other) {
        return other.isBefore(this) ? other : this;
    }

    @Override
    public String toString() {
        return Long.toString(value());
    }
}
