package dev.wirelab.emulator.coverage;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.ElfImage;
import dev.wirelab.emulator.unicorn.NativeHooks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * Guest edge coverage, AFL style: every translated-block entry inside the covered address range
 * bumps the byte counter at {@code hash(block) ^ (hash(previous block) >> 1)}. The counters and the
 * previous block live off-heap in a {@code struct wl_edges} ({@link #nativeState()}), so the native
 * block hook updates them with no upcall per block; {@link #onBlock} is the same arithmetic for the
 * Java path. Sized to the guest's text: libFuzzer scans every counter on every run, so a map much
 * larger than the guest costs speed for nothing.
 */
public final class EdgeMap implements AutoCloseable {
    /** Smallest and largest map (counters). */
    public static final int MIN_SIZE = 1 << 10;
    public static final int MAX_SIZE = 1 << 16;

    /** Who updates the map on every block: the native block hook (when loaded) or a Java upcall per block. */
    public enum Feed { NATIVE_HOOK, JAVA_UPCALL }

    private static final VarHandle PREV = NativeHooks.EDGES_LAYOUT
            .varHandle(MemoryLayout.PathElement.groupElement("prev")).withInvokeExactBehavior();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment counters;
    private final MemorySegment state;
    private final long start;
    private final long span;
    private final int bits;
    private final int mask;
    private volatile java.util.function.LongConsumer blocks;

    private EdgeMap(long start, long end, int size) {
        if (end <= start) {
            throw new IllegalArgumentException(String.format("empty coverage range [0x%x, 0x%x)", start, end));
        }
        if (Integer.bitCount(size) != 1 || size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("edge map size " + size + " is not a power of two in ["
                    + MIN_SIZE + ", " + MAX_SIZE + "]");
        }
        this.start = start;
        this.span = end - start;
        this.bits = Integer.numberOfTrailingZeros(size);
        this.mask = size - 1;
        this.counters = arena.allocate(size, 64);
        this.state = arena.allocate(NativeHooks.EDGES_LAYOUT);
        state.set(ValueLayout.ADDRESS, offset("counters"), counters);
        state.set(ValueLayout.JAVA_LONG, offset("start"), start);
        state.set(ValueLayout.JAVA_LONG, offset("span"), span);
        state.set(ValueLayout.JAVA_LONG, offset("shift"), 64L - bits);
        state.set(ValueLayout.JAVA_LONG, offset("mask"), (long) mask);
    }

    private static long offset(String field) {
        return NativeHooks.EDGES_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement(field));
    }

    /** A map for [start, end), one counter per 16 bytes of code (about one per 4-instruction block), rounded to a power of two. */
    public static EdgeMap forRange(long start, long end) {
        long want = Math.max(MIN_SIZE, Math.min(MAX_SIZE, (end - start) / 16));
        return new EdgeMap(start, end, Integer.highestOneBit((int) (want * 2 - 1)));
    }

    /** A map sized for {@code size} counters over [start, end). */
    public static EdgeMap of(long start, long end, int size) {
        return new EdgeMap(start, end, size);
    }

    /** A map over an ELF image's executable segments (virtual addresses: what the block hook sees). */
    public static EdgeMap forText(BootImage image) {
        if (!(image instanceof ElfImage elf)) {
            throw new IllegalArgumentException(image.name() + " is not an ELF image: give the coverage range explicitly");
        }
        long lo = Long.MAX_VALUE;
        long hi = Long.MIN_VALUE;
        for (ElfImage.Segment s : elf.segments()) {
            if (s.executable()) {
                lo = Math.min(lo, s.vaddr());
                hi = Math.max(hi, s.vaddr() + s.memSize());
            }
        }
        if (lo >= hi) {
            throw new IllegalArgumentException(image.name() + " has no executable segment to cover");
        }
        return forRange(lo, hi);
    }

    /**
     * Also hands every covered block's address to {@code listener} (null: no more). For coverage by
     * function at report time, not while fuzzing: it costs a call per block, and only the Java feed
     * ({@link Feed#JAVA_UPCALL}) calls it.
     */
    public void blocks(java.util.function.LongConsumer listener) {
        blocks = listener;
    }

    /** Called for every block the guest enters (the board's block hook). */
    public void onBlock(long address) {
        long off = address - start;
        if (off < 0 || off >= span) {
            return;
        }
        java.util.function.LongConsumer l = blocks;
        if (l != null) {
            l.accept(address);
        }
        long cur = ((off >>> 2) * 0x9E3779B97F4A7C15L) >>> (64 - bits);
        long idx = (cur ^ (long) PREV.get(state, 0L)) & mask;
        byte b = counters.get(ValueLayout.JAVA_BYTE, idx);
        if (b != (byte) 0xff) {
            counters.set(ValueLayout.JAVA_BYTE, idx, (byte) (b + 1));
        }
        PREV.set(state, 0L, cur >>> 1);
    }

    /** Zeroes the counters and forgets the previous block (before each execution). */
    public void clear() {
        counters.fill((byte) 0);
        PREV.set(state, 0L, 0L);
    }

    /** The {@code struct wl_edges} the native block hook updates (counters, range, previous block). */
    public MemorySegment nativeState() {
        return state;
    }

    public int size() {
        return mask + 1;
    }

    public long start() {
        return start;
    }

    public long end() {
        return start + span;
    }

    /** The counters themselves (read-only view): {@link #size()} saturating byte counters. */
    public MemorySegment counters() {
        return counters.asReadOnly();
    }

    /** Number of edges hit since the last {@link #clear()}. */
    public int edgesHit() {
        int[] n = {0};
        forEachHit((i, v) -> n[0]++);
        return n[0];
    }

    /** Receives each hit counter: its index and its count (1..255). */
    @FunctionalInterface
    public interface HitConsumer {
        void hit(int index, int count);
    }

    /** Calls {@code c} for every non-zero counter, in index order (scans 8 counters at a time). */
    public void forEachHit(HitConsumer c) {
        int size = size();
        for (int i = 0; i < size; i += 8) {
            if (counters.get(ValueLayout.JAVA_LONG, i) == 0) {
                continue;
            }
            for (int j = i; j < i + 8; j++) {
                int v = counters.get(ValueLayout.JAVA_BYTE, j) & 0xff;
                if (v != 0) {
                    c.hit(j, v);
                }
            }
        }
    }

    @Override
    public void close() {
        arena.close();
    }
}
