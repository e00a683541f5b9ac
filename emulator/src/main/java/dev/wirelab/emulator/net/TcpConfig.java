package dev.wirelab.emulator.net;

/**
 * How the host TCP behaves. Times are virtual ticks (62.5 MHz: 62,500 per ms).
 *
 * @param mss               MSS the host announces (and its largest segment)
 * @param windowScale       shift the host announces (0..14), or -1 for no window-scale option
 * @param sackPermitted     announce SACK-permitted (the host then reports out-of-order data in SACK blocks)
 * @param timestamps        announce timestamps (RFC 7323)
 * @param receiveWindow     bytes the host advertises (it reads everything at once, so the window never shrinks)
 * @param initialRtoTicks   retransmission timeout before any RTT sample (RFC 6298: 1 s)
 * @param minRtoTicks       lower bound of the computed RTO
 * @param maxRtoTicks       upper bound after backoff
 * @param maxRetransmits    consecutive timeouts before the connection is aborted
 * @param timeWaitTicks     how long a connection the host closed first stays in TIME-WAIT
 * @param firstEphemeralPort first local port for {@code connect}
 * @param delayedAckTicks   delayed ACKs as Linux does them: in-order data is acknowledged at once only for
 *                          the first {@link #QUICK_ACKS} segments, when two full-sized segments are unacknowledged,
 *                          or when this much time passed (Linux's 40 ms minimum); 0 acknowledges every segment
 */
public record TcpConfig(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int receiveWindow,
                        long initialRtoTicks, long minRtoTicks, long maxRtoTicks, int maxRetransmits, long timeWaitTicks,
                        int firstEphemeralPort, long delayedAckTicks) {
    public static final long TICKS_PER_MS = 62_500;
    /** Segments acknowledged at once after the handshake (Linux's TCP_MAX_QUICKACKS). */
    public static final int QUICK_ACKS = 16;

    public TcpConfig {
        if (mss < 64 || mss > 65495) {
            throw new IllegalArgumentException("MSS " + mss + ": use 64..65495");
        }
        if (windowScale < -1 || windowScale > 14) {
            throw new IllegalArgumentException("window scale " + windowScale + ": use 0..14, or -1 for none");
        }
        long maxWindow = windowScale < 0 ? 65535 : 65535L << windowScale;
        if (receiveWindow < 1 || receiveWindow > maxWindow) {
            throw new IllegalArgumentException("receive window " + receiveWindow + " does not fit window scale " + windowScale);
        }
        if (initialRtoTicks < 1 || minRtoTicks < 1 || maxRtoTicks < minRtoTicks || maxRetransmits < 1 || timeWaitTicks < 0) {
            throw new IllegalArgumentException("bad TCP timers");
        }
        if (firstEphemeralPort < 1024 || firstEphemeralPort > 65535) {
            throw new IllegalArgumentException("first ephemeral port " + firstEphemeralPort);
        }
        if (delayedAckTicks < 0) {
            throw new IllegalArgumentException("delayed ACK " + delayedAckTicks + " ticks: use 0 (off) or more");
        }
    }

    /**
     * MSS 1460, wscale 7, SACK, timestamps, 256 KiB window, RTO 1 s (min 200 ms, max 60 s), 8 retries, TIME-WAIT 1 s,
     * ports from 40000, delayed ACKs (40 ms).
     */
    public static TcpConfig defaults() {
        return new TcpConfig(1460, 7, true, true, 256 * 1024, 1000 * TICKS_PER_MS, 200 * TICKS_PER_MS,
                60_000 * TICKS_PER_MS, 8, 1000 * TICKS_PER_MS, 40000, 40 * TICKS_PER_MS);
    }

    /** No options at all: MSS only, 64 KiB - 1 window, every segment acknowledged at once. */
    public static TcpConfig minimal() {
        return new TcpConfig(1460, -1, false, false, 65535, 1000 * TICKS_PER_MS, 200 * TICKS_PER_MS,
                60_000 * TICKS_PER_MS, 8, 1000 * TICKS_PER_MS, 40000, 0);
    }

    public TcpConfig withMss(int v) {
        return new TcpConfig(v, windowScale, sackPermitted, timestamps, receiveWindow, initialRtoTicks, minRtoTicks,
                maxRtoTicks, maxRetransmits, timeWaitTicks, firstEphemeralPort, delayedAckTicks);
    }

    public TcpConfig withOptions(int wscale, boolean sack, boolean ts, int window) {
        return new TcpConfig(mss, wscale, sack, ts, window, initialRtoTicks, minRtoTicks, maxRtoTicks, maxRetransmits,
                timeWaitTicks, firstEphemeralPort, delayedAckTicks);
    }

    public TcpConfig withRto(long initial, long min, long max, int retries) {
        return new TcpConfig(mss, windowScale, sackPermitted, timestamps, receiveWindow, initial, min, max, retries,
                timeWaitTicks, firstEphemeralPort, delayedAckTicks);
    }

    public TcpConfig withTimeWaitTicks(long v) {
        return new TcpConfig(mss, windowScale, sackPermitted, timestamps, receiveWindow, initialRtoTicks, minRtoTicks,
                maxRtoTicks, maxRetransmits, v, firstEphemeralPort, delayedAckTicks);
    }

    /** {@code ticks} of delayed-ACK timeout (0: acknowledge every segment at once). */
    public TcpConfig withDelayedAckTicks(long ticks) {
        return new TcpConfig(mss, windowScale, sackPermitted, timestamps, receiveWindow, initialRtoTicks, minRtoTicks,
                maxRtoTicks, maxRetransmits, timeWaitTicks, firstEphemeralPort, ticks);
    }
}
