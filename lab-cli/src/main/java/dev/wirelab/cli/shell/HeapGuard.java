package dev.wirelab.cli.shell;

/**
 * Stops a script thread whose heap use grows past a limit, before the JVM
 * runs out: a daemon polls the heap (host time only decides when the check
 * runs; nothing the guest sees depends on it) and interrupts the thread, which
 * the ThreadInterrupt transform turns into an exception at the next loop head.
 */
final class HeapGuard implements AutoCloseable {
    private final Thread poller;
    private volatile boolean fired;
    private volatile boolean closed;

    HeapGuard(Thread target, long limitBytes, Runnable alsoOnFire) {
        poller = Thread.ofPlatform().daemon().name("wirelab-heap-guard").unstarted(() -> {
            Runtime rt = Runtime.getRuntime();
            while (!closed) {
                long used = rt.totalMemory() - rt.freeMemory();
                if (used > limitBytes) {
                    System.gc();
                    used = rt.totalMemory() - rt.freeMemory();
                    if (used > limitBytes && !closed) {
                        fired = true;
                        alsoOnFire.run();
                        target.interrupt();
                        return;
                    }
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        poller.start();
    }

    boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
    }

    /** Default limit: 3/4 of the JVM's maximum heap, at most 1 GiB above what is in use now. */
    static long defaultLimit() {
        Runtime rt = Runtime.getRuntime();
        long inUse = rt.totalMemory() - rt.freeMemory();
        return Math.min(rt.maxMemory() / 4 * 3, inUse + (1L << 30));
    }
}
