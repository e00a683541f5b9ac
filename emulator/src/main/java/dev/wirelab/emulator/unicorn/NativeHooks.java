package dev.wirelab.emulator.unicorn;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The native hook library ({@code src/main/c/wirelab_hooks.c}, built with the
 * host C compiler into the classes tree): a UC_HOOK_BLOCK callback in C that
 * does the instruction counter's per-block bookkeeping and the guest edge
 * coverage without an FFM upcall and calls Java only when asked to, and an MRS/MSR hook that
 * calls Java only for the registers the board serves. Optional: without it (no compiler, another
 * architecture) {@link #available()} is false and callers use Java upcalls.
 */
public final class NativeHooks {
    private NativeHooks() { }

    /** Mirrors {@code struct wl_counter}. */
    public static final StructLayout COUNTER_LAYOUT = MemoryLayout.structLayout(
            JAVA_LONG.withName("completed"),
            JAVA_LONG.withName("block_start"),
            JAVA_LONG.withName("block_insns"),
            JAVA_LONG.withName("call_java"),
            ADDRESS.withName("java_block"),
            ADDRESS.withName("edges"),
            JAVA_LONG.withName("unmask_bits"),
            ADDRESS.withName("reg_read"),
            JAVA_LONG.withName("pstate_reg"));

    /** Mirrors {@code struct wl_edges}: AFL-style edge counters the C hook updates (coverage/EdgeMap). */
    public static final StructLayout EDGES_LAYOUT = MemoryLayout.structLayout(
            ADDRESS.withName("counters"),
            JAVA_LONG.withName("start"),
            JAVA_LONG.withName("span"),
            JAVA_LONG.withName("shift"),
            JAVA_LONG.withName("mask"),
            JAVA_LONG.withName("prev"));

    private static final int ABI_VERSION = 6;
    private static final MemorySegment BLOCK_HOOK;
    private static final SymbolLookup LIBRARY;
    private static final String UNAVAILABLE;

    static {
        MemorySegment hook = null;
        SymbolLookup library = null;
        String why = null;
        if (Boolean.getBoolean("wirelab.javaHooks")) {
            why = "disabled by -Dwirelab.javaHooks=true";
        } else {
            try {
                SymbolLookup lib = load();
                int v = (int) Linker.nativeLinker().downcallHandle(lib.find("wl_hooks_version").orElseThrow(),
                        FunctionDescriptor.of(JAVA_INT)).invokeExact();
                if (v != ABI_VERSION) {
                    why = "libwirelab-hooks.so has ABI " + v + ", this build needs " + ABI_VERSION + " (rebuild)";
                } else {
                    hook = lib.find("wl_block_hook").orElseThrow();
                    library = lib;
                }
            } catch (Throwable t) {
                why = t.getMessage() == null ? t.toString() : t.getMessage();
            }
        }
        BLOCK_HOOK = hook;
        LIBRARY = library;
        UNAVAILABLE = why;
    }

    /** Extracts the library from the class path (it may sit inside a jar) and loads it for the JVM's life. */
    private static SymbolLookup load() throws IOException {
        String resource = "/native/" + System.getProperty("os.arch") + "/libwirelab-hooks.so";
        try (InputStream in = NativeHooks.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("native hooks not in this build (" + resource + "; a host cc builds them)");
            }
            Path tmp = Files.createTempFile("wirelab-hooks-", ".so");
            tmp.toFile().deleteOnExit();
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            return SymbolLookup.libraryLookup(tmp, Arena.global());
        }
    }

    /** True when the native block hook is loaded. */
    public static boolean available() {
        return BLOCK_HOOK != null;
    }

    /** Why the native hooks are not used (null when they are). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    /** A function of the native library as a downcall handle (the library must be {@link #available()}). */
    static java.lang.invoke.MethodHandle function(String name, FunctionDescriptor shape) {
        if (LIBRARY == null) {
            throw new IllegalStateException("native hooks unavailable: " + UNAVAILABLE);
        }
        return Linker.nativeLinker().downcallHandle(LIBRARY.find(name).orElseThrow(), shape);
    }

    /** The MRS/MSR filter ({@code wl_sys_hook}): calls Java only for the encodings it is told. */
    static MemorySegment sysHook() {
        if (LIBRARY == null) {
            throw new IllegalStateException("native hooks unavailable: " + UNAVAILABLE);
        }
        return LIBRARY.find("wl_sys_hook").orElseThrow();
    }

    static MemorySegment blockHook() {
        if (BLOCK_HOOK == null) {
            throw new IllegalStateException("native hooks unavailable: " + UNAVAILABLE);
        }
        return BLOCK_HOOK;
    }
}
