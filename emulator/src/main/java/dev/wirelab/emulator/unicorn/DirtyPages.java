package dev.wirelab.emulator.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Which pages of a host mapping (guest RAM) were written since a baseline, kept by the kernel:
 * userfaultfd asynchronous write protection plus {@code PAGEMAP_SCAN} (Linux 6.7+), driven by the
 * native library ({@code wl_dirty_*} in wirelab_hooks.c). A write to a protected page costs one
 * minor fault the kernel resolves itself; no store hook, no handler thread. Every writer is seen
 * (guest stores through Unicorn, device DMA, host copies), so a restore that puts back exactly
 * the written pages is exact. {@link #open} returns null where the kernel or the build cannot.
 */
public final class DirtyPages implements AutoCloseable {
    private static final MethodHandle OPEN, CLOSE, MARK_CLEAN, RESTORE, STATS;
    private static final String UNAVAILABLE;

    static {
        MethodHandle open = null, close = null, mark = null, restore = null, stats = null;
        String why = null;
        if (Boolean.getBoolean("wirelab.noDirtyPages")) {
            why = "disabled by -Dwirelab.noDirtyPages=true";
        } else if (!NativeHooks.available()) {
            why = NativeHooks.unavailableReason();
        } else {
            open = NativeHooks.function("wl_dirty_open", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
            close = NativeHooks.function("wl_dirty_close", FunctionDescriptor.ofVoid(ADDRESS));
            mark = NativeHooks.function("wl_dirty_mark_clean", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
            restore = NativeHooks.function("wl_dirty_restore",
                    FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            stats = NativeHooks.function("wl_dirty_stats", FunctionDescriptor.ofVoid(ADDRESS, ADDRESS));
        }
        OPEN = open;
        CLOSE = close;
        MARK_CLEAN = mark;
        RESTORE = restore;
        STATS = stats;
        UNAVAILABLE = why;
    }

    private final MemorySegment handle;
    private final long pages;

    private DirtyPages(MemorySegment handle, long pages) {
        this.handle = handle;
        this.pages = pages;
    }

    /** Tracks writes to {@code ram} (a page-aligned mapping of its own), or null with the reason in {@link #lastFailure()}. */
    public static DirtyPages open(MemorySegment ram) {
        if (OPEN == null) {
            lastFailure = UNAVAILABLE;
            return null;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment err = a.allocate(JAVA_INT);
            MemorySegment h = (MemorySegment) OPEN.invokeExact(ram, ram.byteSize(), err);
            if (h.address() == 0) {
                lastFailure = "userfaultfd write protection unavailable (errno " + err.get(JAVA_INT, 0) + ")";
                return null;
            }
            return new DirtyPages(h, ram.byteSize() / HostMemory.PAGE);
        } catch (Throwable t) {
            lastFailure = t.toString();
            return null;
        }
    }

    private static volatile String lastFailure = UNAVAILABLE;

    /** Why the last {@link #open} returned null. */
    public static String lastFailure() {
        return lastFailure;
    }

    /** The mapping now is the baseline: write-protects the pages written since; returns how many. */
    public long markClean() {
        try {
            long n = (long) MARK_CLEAN.invokeExact(handle);
            if (n < 0) {
                throw new UnicornException("PAGEMAP_SCAN failed on guest RAM (errno " + -n + ")");
            }
            return n;
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("wl_dirty_mark_clean failed: " + t);
        }
    }

    /** What a {@link #restore} did: pages put back (-1: the kernel refused midway), and whether a watched page was among them. */
    public record Restored(long pages, boolean watchedWritten) { }

    private final MemorySegment hit = Arena.ofAuto().allocate(JAVA_INT);

    /**
     * Puts back every page written since the baseline: page {@code p} from {@code saved} at
     * {@code slots[p] * PAGE} when {@code slots[p] >= 0} (an int per page), zeros otherwise;
     * {@code watch} (a byte per page) marks pages whose writing the caller wants to know of.
     * On -1 pages the kernel refused midway: restore the slow way and {@link #markClean()}.
     */
    public Restored restore(MemorySegment saved, MemorySegment slots, MemorySegment watch) {
        if (slots.byteSize() != pages * 4 || watch.byteSize() != pages) {
            throw new IllegalArgumentException("slot/watch tables cover " + slots.byteSize() / 4 + "/" + watch.byteSize()
                    + " pages, RAM has " + pages);
        }
        try {
            long n = (long) RESTORE.invokeExact(handle, saved, slots, watch, hit);
            return new Restored(n < 0 ? -1 : n, hit.get(JAVA_INT, 0) != 0);
        } catch (Throwable t) {
            throw new UnicornException("wl_dirty_restore failed: " + t);
        }
    }

    /**
     * Restores so far by path: {@code hull} scanned only the span of pages ever written; the others
     * scanned all of RAM because there was no hull or baseline yet, another thread restored, this
     * thread took more faults than the hull had written pages (a write outside the hull, or a fault
     * that was no write: a read of a fresh page, the JVM's or Unicorn's own memory), or the hull held
     * more written regions than one scan returns.
     */
    public record Paths(long hull, long noHull, long otherThread, long surplusFaults, long hullFragmented) {
        /** Restores that scanned all of RAM. */
        public long full() {
            return noHull + otherThread + surplusFaults + hullFragmented;
        }
    }

    public Paths paths() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(JAVA_LONG, 5);
            STATS.invokeExact(handle, out);
            return new Paths(out.getAtIndex(JAVA_LONG, 0), out.getAtIndex(JAVA_LONG, 1), out.getAtIndex(JAVA_LONG, 2),
                    out.getAtIndex(JAVA_LONG, 3), out.getAtIndex(JAVA_LONG, 4));
        } catch (Throwable t) {
            throw new UnicornException("wl_dirty_stats failed: " + t);
        }
    }

    @Override
    public void close() {
        try {
            CLOSE.invokeExact(handle);
        } catch (Throwable t) {
            throw new UnicornException("wl_dirty_close failed: " + t);
        }
    }
}
