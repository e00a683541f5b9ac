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
 */
public record TcpConfig(int mss, int windowScale, boolean sackPermitted, boolean timestamps, int receiveWindow,
                        long initialRtoTicks, long minRtoTicks, long maxRtoTicks, int maxRetransmits, long timeWaitTicks,
                        int firstEphemeralPort) {
    public static final long TICKS_PER_MS = 62_500;

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
    }

    /** MSS 1460, wscale 7, SACK, timestamps, 256 KiB window, RTO 1 s (min 200 ms, max 60 s), 8 retries, TIME-WAIT 1 s, ports from 40000. */
    public static TcpConfig defaults() {
        return new TcpConfig(1460, 7, true, true, 256 * 1024, 1000 * TICKS_PER_MS, 200 * TICKS_PER_MS,
                60_000 * TICKS_PER_MS, 8, 1000 * TICKS_PER_MS, 40000);
    }

    /** No options at all: MSS only, 64 KiB - 1 window. */
    public static TcpConfig minimal() {
        return new TcpConfig(1460, -1, false, false, 65535, 1000 * TICKS_PER_MS, 200 * TICKS_PER_MS,
                60_000 * TICKS_PER_MS, 8, 1000 * TICKS_PER_MS, 40000);
    }

    public TcpConfig withMss(int v) {
        return new TcpConfig(v, windowScale, sackPermitted, timestamps, receiveWindow, initialRtoTicks, minRtoTicks,
                maxRtoTicks, maxRetransmits, timeWaitTicks, firstEphemeralPort);
    }

    public TcpConfig withOptions(int wscale, boolean sack, boolean ts, int window) {
        return new TcpConfig(mss, wscale, sack, ts, window, initialRtoTicks, minRtoTicks, maxRtoTicks, maxRetransmits,
                timeWaitTicks, firstEphemeralPort);
    }

    public TcpConfig withRto(long initial, long min, long max, int retries) {
        return new TcpConfig(mss, windowScale, sackPermitted, timestamps, receiveWindow, initial, min, max, retries,
                timeWaitTicks, firstEphemeralPort);
    }

    public TcpConfig withTimeWaitTicks(long v) {
        return new TcpConfig(mss, windowScale, sackPermitted, timestamps, receiveWindow, initialRtoTicks, minRtoTicks,
                maxRtoTicks, maxRetransmits, v, firstEphemeralPort);
    }
}
