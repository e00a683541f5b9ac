package dev.wirelab.emulator.unicorn;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Finds libunicorn, checks its version and holds the downcall handles. The one
 * place that knows Unicorn's C signatures.
 *
 * <p>Lookup order: the {@code wirelab.unicorn} system property or
 * {@code WIRELAB_UNICORN} environment variable (a file), the project cache
 * filled by {@code scripts/setup} ({@code .cache/unicorn/unicorn/lib}), an
 * installed Python {@code unicorn} package, then the system library path.
 */
public final class UnicornLibrary {
    /** 2.1.2 fixed unmapped-virtual-address stops and slow stores; older builds are unusable. */
    public static final int MIN_VERSION = 0x020102;
    static final String HINT = "run scripts/setup (it fetches the official Unicorn 2.1.4 build), "
            + "or point -Dwirelab.unicorn=/path/to/libunicorn.so.2 at a 2.1.2+ build";

    private static volatile UnicornLibrary instance;

    final Path path;
    final int version;
    final MethodHandle open, close, strerror, regRead, regWrite, memMap, memMapPtr, mmioMap, memUnmap,
            memProtect, memRead, memWrite, vmemRead, vmemWrite, vmemTranslate, emuStart, emuStop,
            hookAdd, hookDel, ctl0, ctlInt, ctlLongLong, contextAlloc, contextSave, contextRestore,
            contextSize, contextFree;

    /** uc_reg_read itself, for the native block hook (unicorn/NativeHooks) to call without Java. */
    final MemorySegment regReadFunction;
    /** uc_emu_stop itself, for the native block hook's exact stops. */
    final MemorySegment emuStopFunction;
    /** QEMU's cpu_restore_state of the AArch64 target (exported by the official builds), or null. */
    final MethodHandle restoreState;

    private UnicornLibrary(Path path, SymbolLookup lib) {
        this.path = path;
        Linker linker = Linker.nativeLinker();
        Linker.Option critical = Linker.Option.critical(false);
        MethodHandle version = linker.downcallHandle(find(lib, "uc_version"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        try {
            this.version = (int) version.invokeExact(MemorySegment.NULL, MemorySegment.NULL);
        } catch (Throwable t) {
            throw new UnicornException("cannot call uc_version in " + path + ": " + t);
        }
        open = linker.downcallHandle(find(lib, "uc_open"), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        close = linker.downcallHandle(find(lib, "uc_close"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        strerror = linker.downcallHandle(find(lib, "uc_strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));
        // Register and memory copies never call back into Java: critical downcalls skip the thread-state dance.
        regReadFunction = find(lib, "uc_reg_read");
        regRead = linker.downcallHandle(regReadFunction,
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        regWrite = linker.downcallHandle(find(lib, "uc_reg_write"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS), critical);
        memMap = linker.downcallHandle(find(lib, "uc_mem_map"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        memMapPtr = linker.downcallHandle(find(lib, "uc_mem_map_ptr"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
        mmioMap = linker.downcallHandle(find(lib, "uc_mmio_map"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        memUnmap = linker.downcallHandle(find(lib, "uc_mem_unmap"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
        memProtect = linker.downcallHandle(find(lib, "uc_mem_protect"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
        memRead = linker.downcallHandle(find(lib, "uc_mem_read"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        memWrite = linker.downcallHandle(find(lib, "uc_mem_write"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        vmemRead = linker.downcallHandle(find(lib, "uc_vmem_read"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        vmemWrite = linker.downcallHandle(find(lib, "uc_vmem_write"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        vmemTranslate = linker.downcallHandle(find(lib, "uc_vmem_translate"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS));
        emuStart = linker.downcallHandle(find(lib, "uc_emu_start"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
        emuStopFunction = find(lib, "uc_emu_stop");
        restoreState = lib.find("cpu_restore_state_aarch64").map(f -> linker.downcallHandle(f,
                FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_LONG, JAVA_BOOLEAN))).orElse(null);
        emuStop = linker.downcallHandle(emuStopFunction, FunctionDescriptor.of(JAVA_INT, ADDRESS));
        // uc_hook_add is variadic after `end`; only UC_HOOK_INSN reads the extra int, others ignore it.
        hookAdd = linker.downcallHandle(find(lib, "uc_hook_add"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
                Linker.Option.firstVariadicArg(7));
        hookDel = linker.downcallHandle(find(lib, "uc_hook_del"), FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
        MemorySegment ctl = find(lib, "uc_ctl");
        ctl0 = linker.downcallHandle(ctl, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), Linker.Option.firstVariadicArg(2));
        ctlInt = linker.downcallHandle(ctl, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                Linker.Option.firstVariadicArg(2));
        ctlLongLong = linker.downcallHandle(ctl, FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_LONG),
                Linker.Option.firstVariadicArg(2));
        contextAlloc = linker.downcallHandle(find(lib, "uc_context_alloc"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSave = linker.downcallHandle(find(lib, "uc_context_save"), FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextRestore = linker.downcallHandle(find(lib, "uc_context_restore"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        contextSize = linker.downcallHandle(find(lib, "uc_context_size"), FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        contextFree = linker.downcallHandle(find(lib, "uc_context_free"), FunctionDescriptor.of(JAVA_INT, ADDRESS));
        regWriteFunction = find(lib, "uc_reg_write");
        regReadBatch = linker.downcallHandle(find(lib, "uc_reg_read_batch"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
        regWriteBatch = linker.downcallHandle(find(lib, "uc_reg_write_batch"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), critical);
    }

    /** uc_reg_read_batch / uc_reg_write_batch: several registers in one downcall (exception entry, {@link RegBatch}). */
    final MethodHandle regReadBatch, regWriteBatch;
    /** uc_reg_write itself, for the native MRS/MSR filter (unicorn/SysInsnFilter) to write Xt and PC without Java. */
    final MemorySegment regWriteFunction;

    /** The process-wide library, loaded and version-checked on first use. */
    public static UnicornLibrary get() {
        UnicornLibrary l = instance;
        if (l == null) {
            synchronized (UnicornLibrary.class) {
                l = instance;
                if (l == null) {
                    l = load(candidates());
                    instance = l;
                }
            }
        }
        return l;
    }

    /** Loads the first candidate that exists; refuses versions below {@link #MIN_VERSION}. */
    static UnicornLibrary load(List<Path> candidates) {
        List<String> tried = new ArrayList<>();
        for (Path p : candidates) {
            if (!Files.isRegularFile(p)) {
                tried.add(p.toString());
                continue;
            }
            SymbolLookup lookup;
            try {
                lookup = SymbolLookup.libraryLookup(p, Arena.global());
            } catch (IllegalArgumentException e) {
                throw new UnicornException("cannot load Unicorn from " + p + ": " + e.getMessage() + "; " + HINT);
            }
            UnicornLibrary lib = new UnicornLibrary(p, lookup);
            int v = lib.version >>> 8;
            if (v < MIN_VERSION) {
                throw new UnicornException("Unicorn at " + p + " is version " + versionString(lib.version)
                        + ", wirelab needs 2.1.2 or newer (2.0.x drops virtual-address accesses and makes stores slow); "
                        + HINT);
            }
            return lib;
        }
        throw new UnicornException("libunicorn not found (looked in " + String.join(", ", tried) + "); " + HINT);
    }

    static List<Path> candidates() {
        List<Path> c = new ArrayList<>();
        String explicit = Optional.ofNullable(System.getProperty("wirelab.unicorn")).orElse(System.getenv("WIRELAB_UNICORN"));
        if (explicit != null && !explicit.isBlank()) {
            return List.of(Path.of(explicit)); // an explicit choice is never silently replaced
        }
        for (Path root : projectRoots()) {
            c.add(root.resolve(".cache/unicorn/unicorn/lib/libunicorn.so.2"));
        }
        pythonPackageDir().ifPresent(d -> c.add(d.resolve("lib/libunicorn.so.2")));
        for (String dir : List.of("/usr/local/lib", "/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/usr/lib")) {
            c.add(Path.of(dir, "libunicorn.so.2"));
        }
        return c;
    }

    private static List<Path> projectRoots() {
        List<Path> roots = new ArrayList<>();
        String prop = System.getProperty("wirelab.root");
        if (prop != null) {
            roots.add(Path.of(prop));
        }
        // Fall back to walking up from the working directory (tests run inside a module).
        Path p = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && p != null; i++, p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("scripts/setup"))) {
                roots.add(p);
                break;
            }
        }
        return roots;
    }

    private static Optional<Path> pythonPackageDir() {
        try {
            Process proc = new ProcessBuilder("python3", "-c",
                    "import importlib.util,os;s=importlib.util.find_spec('unicorn');print(os.path.dirname(s.origin) if s else '')")
                    .redirectErrorStream(true).start();
            String out = new String(proc.getInputStream().readAllBytes()).trim();
            proc.waitFor();
            return out.isEmpty() || out.contains("\n") ? Optional.empty() : Optional.of(Path.of(out));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static MemorySegment find(SymbolLookup lib, String name) {
        return lib.find(name).orElseThrow(() -> new UnicornException("libunicorn lacks " + name + "; " + HINT));
    }

    public Path path() {
        return path;
    }

    /** uc_version() as returned: 0xMMmmpp.. (major, minor, patch, extra). */
    public int version() {
        return version;
    }

    public static String versionString(int v) {
        return ((v >>> 24) & 0xff) + "." + ((v >>> 16) & 0xff) + "." + ((v >>> 8) & 0xff);
    }

    String strerror(int code) {
        try {
            MemorySegment s = (MemorySegment) strerror.invokeExact(code);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "error " + code;
        }
    }
}
