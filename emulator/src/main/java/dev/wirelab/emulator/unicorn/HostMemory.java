package dev.wirelab.emulator.unicorn;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Anonymous host mappings for guest RAM. Unlike {@code Arena.allocate}, mmap
 * does not touch the pages: a 256 MiB guest costs only what it uses, and
 * {@link #discard} gives pages back as zeros (cheap reset of untouched RAM).
 */
public final class HostMemory {
    private HostMemory() { }

    private static final int PROT_READ = 1, PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    private static final int MADV_DONTNEED = 4;
    private static final MethodHandle MMAP, MUNMAP, MADVISE, MINCORE, GETRUSAGE;
    private static final int RUSAGE_SELF = 0;
    private static final long RU_MINFLT = 64, RU_MAJFLT = 72, RUSAGE_SIZE = 144;
    private static final ThreadLocal<MemorySegment> RUSAGE = ThreadLocal.withInitial(
            () -> java.lang.foreign.Arena.ofAuto().allocate(RUSAGE_SIZE, 8));
    public static final long PAGE = 4096;

    static {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        MMAP = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MUNMAP = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        MADVISE = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        MINCORE = linker.downcallHandle(libc.find("mincore").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS));
        GETRUSAGE = linker.downcallHandle(libc.find("getrusage").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    }

    /**
     * Page faults (minor + major) the whole process has taken so far, or -1 if unknown. A page
     * of an anonymous mapping becomes resident only through a fault, so while this number
     * stands still no page of guest RAM became resident (a cheap check before a {@link #residency} scan).
     */
    public static long pageFaults() {
        MemorySegment r = RUSAGE.get();
        try {
            int rc = (int) GETRUSAGE.invokeExact(RUSAGE_SELF, r);
            return rc != 0 ? -1 : r.get(JAVA_LONG, RU_MINFLT) + r.get(JAVA_LONG, RU_MAJFLT);
        } catch (Throwable t) {
            return -1;
        }
    }

    /**
     * Which pages of {@code m} the host has backed with memory: a page the
     * guest never touched is not resident and reads as zero. One byte per
     * page is written into {@code out} (bit 0 = resident).
     */
    public static void residency(MemorySegment m, MemorySegment out) {
        try {
            int rc = (int) MINCORE.invokeExact(m, m.byteSize(), out);
            if (rc != 0) {
                throw new UnicornException("mincore failed on guest RAM");
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("mincore failed: " + t);
        }
    }

    /** Maps {@code size} bytes of zeroed, page-aligned, lazily committed memory. */
    public static MemorySegment map(long size) {
        try {
            MemorySegment p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (p.address() == -1L || p.address() == 0L) {
                throw new UnicornException("cannot reserve " + size + " bytes of host memory for guest RAM");
            }
            return p.reinterpret(size);
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("mmap failed: " + t);
        }
    }

    public static void unmap(MemorySegment m) {
        try {
            int rc = (int) MUNMAP.invokeExact(m, m.byteSize());
            if (rc != 0) {
                throw new UnicornException("munmap failed for " + m);
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw new UnicornException("munmap failed: " + t);
        }
    }

    /** Drops a page-aligned range: it reads as zeros afterwards and costs no memory. */
    public static void discard(MemorySegment m, long offset, long length) {
        try {
            int rc = (int) MADVISE.invokeExact(m.asSlice(offset, length), length, MADV_DONTNEED);
            if (rc != 0) {
                m.asSlice(offset, length).fill((byte) 0);
            }
        } catch (Throwable t) {
            m.asSlice(offset, length).fill((byte) 0);
        }
    }
}
