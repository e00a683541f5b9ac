package dev.wirelab.emulator.unicorn;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One Unicorn AArch64 engine. A thin, typed face over the C API: every call
 * checks uc_err and throws {@link UnicornException} with uc_strerror's text;
 * every callback is wrapped so a Java exception stops emulation and is
 * rethrown from {@link #start} instead of unwinding through native frames
 * (which would kill the JVM). Closing frees the engine, its hooks' upcall
 * stubs and its contexts.
 */
public final class Unicorn implements AutoCloseable {
    public static final int ARCH_ARM64 = 2;
    public static final int MODE_ARM = 0;
    public static final int CPU_ARM64_A72 = 2;
    public static final int CPU_ARM64_MAX = 3;

    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, PROT_ALL = 7;

    public static final int HOOK_INTR = 1, HOOK_INSN = 2, HOOK_CODE = 4, HOOK_BLOCK = 8;
    public static final int HOOK_MEM_READ_UNMAPPED = 16, HOOK_MEM_WRITE_UNMAPPED = 32, HOOK_MEM_FETCH_UNMAPPED = 64;
    public static final int HOOK_MEM_READ_PROT = 128, HOOK_MEM_WRITE_PROT = 256, HOOK_MEM_FETCH_PROT = 512;
    public static final int HOOK_MEM_READ = 0x400, HOOK_MEM_WRITE = 0x800;
    public static final int HOOK_MEM_UNMAPPED = HOOK_MEM_READ_UNMAPPED | HOOK_MEM_WRITE_UNMAPPED | HOOK_MEM_FETCH_UNMAPPED;

    public static final int MEM_READ = 16, MEM_WRITE = 17, MEM_FETCH = 18, MEM_READ_UNMAPPED = 19,
            MEM_WRITE_UNMAPPED = 20, MEM_FETCH_UNMAPPED = 21;

    public static final int INS_MRS = 1, INS_MSR = 2, INS_SYS = 3, INS_SYSL = 4;

    public static final int CONTEXT_CPU = 1, CONTEXT_MEMORY = 2;

    // uc_ctl control words: type | (argument count << 26) | (io << 30)
    private static final int CTL_WRITE = 1 << 30;
    private static final int CTL_USE_EXITS = 4;
    private static final int CTL_CPU_MODEL = 7, CTL_TB_REMOVE_CACHE = 9, CTL_TB_FLUSH = 10, CTL_TLB_FLUSH = 11,
            CTL_CONTEXT_MODE = 14;

    private static final FunctionDescriptor BLOCK_SHAPE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor INTR_SHAPE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor SYS_SHAPE = FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS);
    private static final FunctionDescriptor MEM_SHAPE =
            FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final FunctionDescriptor MMIO_READ_SHAPE = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    private static final FunctionDescriptor MMIO_WRITE_SHAPE =
            FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);

    private static final MethodHandle BLOCK_TRAMPOLINE, CODE_TRAMPOLINE, INTR_TRAMPOLINE, SYS_TRAMPOLINE, MEM_TRAMPOLINE,
            MMIO_READ_TRAMPOLINE, MMIO_WRITE_TRAMPOLINE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BLOCK_TRAMPOLINE = l.findVirtual(BlockAdapter.class, "call",
                    MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            CODE_TRAMPOLINE = l.findVirtual(CodeAdapter.class, "call",
                    MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            INTR_TRAMPOLINE = l.findVirtual(IntrAdapter.class, "call",
                    MethodType.methodType(void.class, MemorySegment.class, int.class, MemorySegment.class));
            SYS_TRAMPOLINE = l.findVirtual(SysAdapter.class, "call",
                    MethodType.methodType(int.class, MemorySegment.class, int.class, MemorySegment.class, MemorySegment.class));
            MEM_TRAMPOLINE = l.findVirtual(MemAdapter.class, "call", MethodType.methodType(boolean.class,
                    MemorySegment.class, int.class, long.class, int.class, long.class, MemorySegment.class));
            MMIO_READ_TRAMPOLINE = l.findVirtual(MmioAdapter.class, "read",
                    MethodType.methodType(long.class, MemorySegment.class, long.class, int.class, MemorySegment.class));
            MMIO_WRITE_TRAMPOLINE = l.findVirtual(MmioAdapter.class, "write",
                    MethodType.methodType(void.class, MemorySegment.class, long.class, int.class, long.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final UnicornLibrary lib;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment uc;
    private final MemorySegment scratch;   // out-parameters and register values
    private final MemorySegment cpReg;     // one uc_arm64_cp_reg
    private final MemorySegment io;        // small memory transfers
    private final List<UcContext> contexts = new ArrayList<>();
    private volatile Throwable callbackFailure;
    private boolean closed;

    /** Opens an AArch64 engine with the given CPU model ({@link #CPU_ARM64_A72} or {@link #CPU_ARM64_MAX}). */
    public Unicorn(int cpuModel) {
        this(UnicornLibrary.get(), cpuModel);
    }

    Unicorn(UnicornLibrary lib, int cpuModel) {
        this.lib = lib;
        this.scratch = arena.allocate(64, 16);
        this.cpReg = arena.allocate(32, 8);
        this.io = arena.allocate(IO_BYTES, 16);
        try {
            check("uc_open", (int) lib.open.invokeExact(ARCH_ARM64, MODE_ARM, scratch));
            this.uc = scratch.get(ADDRESS, 0);
            // The model must be chosen before any other call.
            check("uc_ctl(CPU_MODEL)", (int) lib.ctlInt.invokeExact(uc, CTL_WRITE | (1 << 26) | CTL_CPU_MODEL, cpuModel));
        } catch (UnicornException e) {
            arena.close();
            throw e;
        } catch (Throwable t) {
            arena.close();
            throw new UnicornException("uc_open failed: " + t);
        }
    }

    public UnicornLibrary library() {
        return lib;
    }

    // ---- registers ------------------------------------------------------

    public long readReg(int reg) {
        scratch.set(JAVA_LONG, 0, 0); // 32-bit registers (NZCV, FPSR, ...) fill only the low half
        call("uc_reg_read", () -> (int) lib.regRead.invokeExact(uc, reg, scratch));
        return scratch.get(JAVA_LONG, 0);
    }

    public void writeReg(int reg, long value) {
        scratch.set(JAVA_LONG, 0, value);
        call("uc_reg_write", () -> (int) lib.regWrite.invokeExact(uc, reg, scratch));
    }

    /** A reusable batch of up to {@code capacity} register moves in one downcall each way. */
    public RegBatch batch(int capacity) {
        return new RegBatch(this, arena, capacity);
    }

    void batch(boolean read, MemorySegment ids, MemorySegment values, int count) {
        try {
            int err = read ? (int) lib.regReadBatch.invokeExact(uc, ids, values, count)
                    : (int) lib.regWriteBatch.invokeExact(uc, ids, values, count);
            if (err != UcErr.OK) {
                check(read ? "uc_reg_read_batch" : "uc_reg_write_batch", err);
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap(read ? "uc_reg_read_batch" : "uc_reg_write_batch", t);
        }
    }

    /** Reads a 128-bit register (V0..V31): 16 bytes, little-endian as the CPU holds them. */
    public byte[] readReg128(int reg) {
        scratch.asSlice(0, 16).fill((byte) 0);
        call("uc_reg_read", () -> (int) lib.regRead.invokeExact(uc, reg, scratch));
        return scratch.asSlice(0, 16).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** Writes a 128-bit register (V0..V31) from 16 little-endian bytes. */
    public void writeReg128(int reg, byte[] value) {
        if (value.length != 16) {
            throw new IllegalArgumentException("a 128-bit register takes 16 bytes, not " + value.length);
        }
        MemorySegment.copy(value, 0, scratch, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, 16);
        call("uc_reg_write", () -> (int) lib.regWrite.invokeExact(uc, reg, scratch));
    }

    /** Reads a system register through UC_ARM64_REG_CP_REG. */
    public long readSysReg(int op0, int op1, int crn, int crm, int op2) {
        fillCpReg(op0, op1, crn, crm, op2, 0);
        try {
            int err = (int) lib.regRead.invokeExact(uc, Arm64Reg.CP_REG, cpReg);
            if (err != UcErr.OK) {
                check("uc_reg_read(CP_REG " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2 + ")", err);
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("uc_reg_read", t);
        }
        return cpReg.get(JAVA_LONG, 24);
    }

    /** Writes a system register through UC_ARM64_REG_CP_REG (this also rebuilds QEMU's cached hflags). */
    public void writeSysReg(int op0, int op1, int crn, int crm, int op2, long value) {
        fillCpReg(op0, op1, crn, crm, op2, value);
        try {
            int err = (int) lib.regWrite.invokeExact(uc, Arm64Reg.CP_REG, cpReg);
            if (err != UcErr.OK) {
                check("uc_reg_write(CP_REG " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2 + ")", err);
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("uc_reg_write", t);
        }
    }

    private void fillCpReg(int op0, int op1, int crn, int crm, int op2, long value) {
        cpReg.set(JAVA_INT, 0, crn);
        cpReg.set(JAVA_INT, 4, crm);
        cpReg.set(JAVA_INT, 8, op0);
        cpReg.set(JAVA_INT, 12, op1);
        cpReg.set(JAVA_INT, 16, op2);
        cpReg.set(JAVA_LONG, 24, value);
    }

    // ---- memory ---------------------------------------------------------

    public void mapMemory(long address, long size, int perms) {
        call("uc_mem_map(" + hex(address) + ", " + hex(size) + ")",
                () -> (int) lib.memMap.invokeExact(uc, address, size, perms));
    }

    /** Maps host memory the guest and the host share directly (both see each other's writes at once). */
    public void mapHostMemory(long address, MemorySegment host, int perms) {
        call("uc_mem_map_ptr(" + hex(address) + ", " + hex(host.byteSize()) + ")",
                () -> (int) lib.memMapPtr.invokeExact(uc, address, host.byteSize(), perms, host));
    }

    /** Maps a device window: every guest access calls {@code device}. */
    public void mapMmio(long address, long size, Callbacks.Mmio device) {
        MmioAdapter a = new MmioAdapter(this, device);
        Linker linker = Linker.nativeLinker();
        MemorySegment r = linker.upcallStub(MMIO_READ_TRAMPOLINE.bindTo(a), MMIO_READ_SHAPE, arena);
        MemorySegment w = linker.upcallStub(MMIO_WRITE_TRAMPOLINE.bindTo(a), MMIO_WRITE_SHAPE, arena);
        call("uc_mmio_map(" + hex(address) + ", " + hex(size) + ")",
                () -> (int) lib.mmioMap.invokeExact(uc, address, size, r, MemorySegment.NULL, w, MemorySegment.NULL));
    }

    public void unmapMemory(long address, long size) {
        call("uc_mem_unmap(" + hex(address) + ")", () -> (int) lib.memUnmap.invokeExact(uc, address, size));
    }

    public void protectMemory(long address, long size, int perms) {
        call("uc_mem_protect(" + hex(address) + ")", () -> (int) lib.memProtect.invokeExact(uc, address, size, perms));
    }

    /** Reads guest physical memory. */
    public byte[] readMemory(long address, int length) {
        return transfer("uc_mem_read", address, length, null, MEM_READ_OP, 0);
    }

    /** Writes guest physical memory. Code bytes changed this way need {@link #flushTranslations}. */
    public void writeMemory(long address, byte[] data) {
        transfer("uc_mem_write", address, data.length, data, MEM_WRITE_OP, 0);
    }

    /** Reads guest virtual memory through the guest's MMU as an access of kind {@code prot}. */
    public byte[] readVirtual(long address, int length, int prot) {
        return transfer("uc_vmem_read", address, length, null, VMEM_READ_OP, prot);
    }

    public void writeVirtual(long address, byte[] data) {
        transfer("uc_vmem_write", address, data.length, data, VMEM_WRITE_OP, PROT_WRITE);
    }

    private static final int MEM_READ_OP = 0, MEM_WRITE_OP = 1, VMEM_READ_OP = 2, VMEM_WRITE_OP = 3;
    /** Transfers up to this size go through {@link #io} (exception entry and instruction fetches: no arena per call). */
    private static final int IO_BYTES = 256;

    /**
     * One guest memory read ({@code data} null: returns the bytes) or write. The error text is built
     * only on failure: these run several times per guest exception.
     */
    private byte[] transfer(String what, long address, int length, byte[] data, int op, int prot) {
        Arena a = length <= IO_BYTES ? null : Arena.ofConfined();
        try {
            MemorySegment buf = a == null ? io : a.allocate(Math.max(1, length));
            if (data != null) {
                MemorySegment.copy(data, 0, buf, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, length);
            }
            int err = switch (op) {
                case MEM_READ_OP -> (int) lib.memRead.invokeExact(uc, address, buf, (long) length);
                case MEM_WRITE_OP -> (int) lib.memWrite.invokeExact(uc, address, buf, (long) length);
                case VMEM_READ_OP -> (int) lib.vmemRead.invokeExact(uc, address, prot, buf, (long) length);
                default -> (int) lib.vmemWrite.invokeExact(uc, address, prot, buf, (long) length);
            };
            if (err != UcErr.OK) {
                check(what + "(" + hex(address) + ", " + length + ")", err);
            }
            return data != null ? null : buf.asSlice(0, length).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap(what, t);
        } finally {
            if (a != null) {
                a.close();
            }
        }
    }

    /**
     * Translates a guest virtual address for an access of kind {@code prot};
     * returns -1 when the guest's page tables do not allow it (translation or
     * permission fault). Never throws for a fault: callers classify it.
     */
    public long translate(long address, int prot) {
        try {
            int err = (int) lib.vmemTranslate.invokeExact(uc, address, prot, scratch);
            return err == UcErr.OK ? scratch.get(JAVA_LONG, 0) : -1L;
        } catch (Throwable t) {
            throw wrap("uc_vmem_translate", t);
        }
    }

    // ---- execution ------------------------------------------------------

    /**
     * Runs from {@code begin} until {@code until} is reached, {@code count}
     * instructions retired (0 = no limit), {@link #stop} is called or a fault
     * stops the CPU. Rethrows anything a callback threw.
     */
    public void start(long begin, long until, long count) {
        callbackFailure = null;
        int err;
        try {
            err = (int) lib.emuStart.invokeExact(uc, begin, until, 0L, count);
        } catch (Throwable t) {
            throw wrap("uc_emu_start", t);
        }
        Throwable f = callbackFailure;
        if (f != null) {
            callbackFailure = null;
            if (f instanceof RuntimeException re) {
                throw re;
            }
            if (f instanceof Error e) {
                throw e;
            }
            throw new UnicornException("callback failed: " + f);
        }
        if (err != UcErr.OK) {
            check("uc_emu_start(" + hex(begin) + ")", err);
        }
    }

    /**
     * True when device callbacks see the exact PC of the accessing instruction. Unicorn keeps PC
     * exact inside a translated block only under a per-instruction hook (a count-limited run);
     * otherwise PC lags at the block's start. This build's QEMU records the host return address of
     * a device access (CPUState.mem_io_pc) and exports cpu_restore_state, which maps it back to
     * the guest PC, as Unicorn itself does before a matching memory hook. Neither is Unicorn API:
     * the offsets are the official 2.1.4 x86-64 build's, proven once per process on a probe
     * engine (a store and a load mid-block must see their own PCs). False: callers must keep runs
     * count-limited.
     */
    public static boolean exactPcAtDeviceAccess() {
        Boolean known = ioPcExact;
        if (known == null) {
            known = ioPcExact = probeIoPc();
        }
        return known;
    }

    private static volatile Boolean ioPcExact;
    /** uc_struct.cpu, CPUState.mem_io_pc, and the CPUArchState that follows the CPUState (its uc pointer). */
    private static final long UC_CPU = 0x1b8, CPU_MEM_IO_PC = 0x8178, CPU_ENV = 0xa350, ENV_UC = 0x31b8;

    private static boolean probeIoPc() {
        UnicornLibrary lib = UnicornLibrary.get();
        if (lib.version != 0x20104ff || !"amd64".equals(System.getProperty("os.arch")) || lib.restoreState == null) {
            return false;
        }
        try (Unicorn u = new Unicorn(CPU_ARM64_A72)) {
            long base = 0x4000_0000L, device = 0x0900_0000L;
            u.mapMemory(base, 0x1000, PROT_ALL); // creates the CPU (Unicorn does so lazily)
            MemorySegment cpuPointer = u.uc.reinterpret(UC_CPU + 8).get(ADDRESS, UC_CPU);
            if (cpuPointer.address() == 0
                    || u.cpu().get(ADDRESS, CPU_ENV + ENV_UC).address() != u.uc.address()) {
                return false; // not the layout these offsets describe
            }
            // 9 nops, str w1, [x0]; 4 nops, ldr w2, [x0, #4]; svc #0: one block, accesses mid-block.
            java.nio.ByteBuffer code = java.nio.ByteBuffer.allocate(64).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 9; i++) {
                code.putInt(0xd503201f);
            }
            code.putInt(0xb9000001);
            for (int i = 0; i < 4; i++) {
                code.putInt(0xd503201f);
            }
            code.putInt(0xb9400402).putInt(0xd4000001);
            u.writeMemory(base, code.array());
            u.writeReg(Arm64Reg.x(0), device);
            long[] seen = {-1, -1};
            u.exactDevicePc = true;
            u.mapMmio(device, 0x1000, new Callbacks.Mmio() {
                @Override
                public long read(long offset, int size) {
                    seen[1] = u.readReg(Arm64Reg.PC);
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    seen[0] = u.readReg(Arm64Reg.PC);
                }
            });
            u.hookInterrupt(intno -> u.stop());
            for (int run = 0; run < 2; run++) { // translated, then cached
                seen[0] = seen[1] = -1;
                u.start(base, 0, 0);
                if (seen[0] != base + 36 || seen[1] != base + 56) {
                    return false;
                }
            }
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private MemorySegment cpu() {
        return uc.reinterpret(UC_CPU + 8).get(ADDRESS, UC_CPU).reinterpret(CPU_ENV + ENV_UC + 8);
    }

    /** Device callbacks bring PC up to the accessing instruction first ({@link #exactPcAtDeviceAccess}). */
    public void exactPcAtDeviceAccesses(boolean on) {
        if (on && !exactPcAtDeviceAccess()) {
            throw new IllegalStateException("this Unicorn build cannot report the exact PC at device accesses");
        }
        exactDevicePc = on;
    }

    private boolean exactDevicePc;

    /**
     * QEMU records the host return address before each guest device access; the host's own
     * accesses (uc_mem_read of a device window, a debugger) record nothing. Cleared after use, so
     * a host access never restores PC from an earlier guest access's stale address.
     */
    private void syncDevicePc() {
        MemorySegment cpu = cpu();
        long hostPc = cpu.get(JAVA_LONG, CPU_MEM_IO_PC);
        if (hostPc != 0) {
            cpu.set(JAVA_LONG, CPU_MEM_IO_PC, 0L);
            try {
                boolean ignored = (boolean) lib.restoreState.invokeExact(cpu, hostPc, false);
            } catch (Throwable t) {
                throw wrap("cpu_restore_state", t);
            }
        }
    }

    /** Asks the CPU to stop at the next instruction boundary; safe from callbacks and other threads. */
    public void stop() {
        try {
            int err = (int) lib.emuStop.invokeExact(uc);
            if (err != UcErr.OK) {
                throw new UnicornException("uc_emu_stop", err, lib.strerror(err));
            }
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("uc_emu_stop", t);
        }
    }

    // ---- hooks ----------------------------------------------------------

    public UcHook hookBlock(Callbacks.Block cb, long begin, long end) {
        return addHook(HOOK_BLOCK, BLOCK_TRAMPOLINE.bindTo(new BlockAdapter(this, cb)), BLOCK_SHAPE, begin, end, 0);
    }

    /**
     * The native counting block hook ({@link NativeHooks}) with {@code counter} (a
     * {@link NativeHooks#COUNTER_LAYOUT} segment) as its state; {@code slowPath} is called for a
     * block only while the counter's {@code call_java} word is set, or when PSTATE clears one of
     * its {@code unmask_bits}.
     */
    public UcHook hookBlockCounting(MemorySegment counter, Callbacks.Block slowPath) {
        MemorySegment upcall = Linker.nativeLinker().upcallStub(BLOCK_TRAMPOLINE.bindTo(new BlockAdapter(this, slowPath)),
                BLOCK_SHAPE, arena);
        counter.set(ADDRESS, NativeHooks.COUNTER_LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("java_block")), upcall);
        counter.set(ADDRESS, NativeHooks.COUNTER_LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("reg_read")), lib.regReadFunction);
        counter.set(JAVA_LONG, NativeHooks.COUNTER_LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("pstate_reg")), (long) Arm64Reg.PSTATE);
        counter.set(ADDRESS, NativeHooks.COUNTER_LAYOUT.byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("emu_stop")), lib.emuStopFunction);
        return addHook(HOOK_BLOCK, NativeHooks.blockHook(), counter, 1, 0, 0);
    }

    public UcHook hookCode(Callbacks.Code cb, long begin, long end) {
        return addHook(HOOK_CODE, CODE_TRAMPOLINE.bindTo(new CodeAdapter(this, cb)), BLOCK_SHAPE, begin, end, 0);
    }

    public UcHook hookInterrupt(Callbacks.Interrupt cb) {
        return addHook(HOOK_INTR, INTR_TRAMPOLINE.bindTo(new IntrAdapter(this, cb)), INTR_SHAPE, 1, 0, 0);
    }

    /** Hooks MRS ({@link #INS_MRS}), MSR, SYS or SYSL. */
    public UcHook hookSysInsn(int insn, Callbacks.SysInsn cb) {
        return addHook(HOOK_INSN, SYS_TRAMPOLINE.bindTo(new SysAdapter(this, cb)), SYS_SHAPE, 1, 0, insn);
    }

    /**
     * Hooks MRS or MSR through the native filter: {@code cb} is called only for the encodings the
     * returned filter is told it wants; Unicorn performs every other move without an upcall. Null
     * when the native hooks are unavailable (use {@link #hookSysInsn}).
     */
    public SysInsnFilter hookSysInsnFiltered(int insn, Callbacks.SysInsn cb) {
        if (!NativeHooks.available()) {
            return null;
        }
        MemorySegment filter = arena.allocate(SysInsnFilter.SIZE, 8);
        filter.set(ADDRESS, 0, Linker.nativeLinker().upcallStub(SYS_TRAMPOLINE.bindTo(new SysAdapter(this, cb)),
                SYS_SHAPE, arena));
        SysInsnFilter f = new SysInsnFilter(filter, lib.regReadFunction, lib.regWriteFunction);
        addHook(HOOK_INSN, NativeHooks.sysHook(), filter, 1, 0, insn);
        return f;
    }

    /** Hooks memory accesses of the HOOK_MEM_* kinds in {@code types} on [begin, end] (begin > end: everywhere). */
    public UcHook hookMemory(int types, Callbacks.Memory cb, long begin, long end) {
        return addHook(types, MEM_TRAMPOLINE.bindTo(new MemAdapter(this, cb)), MEM_SHAPE, begin, end, 0);
    }

    private UcHook addHook(int type, MethodHandle target, FunctionDescriptor shape, long begin, long end, int extra) {
        return addHook(type, Linker.nativeLinker().upcallStub(target, shape, arena), MemorySegment.NULL, begin, end, extra);
    }

    private UcHook addHook(int type, MemorySegment callback, MemorySegment user, long begin, long end, int extra) {
        call("uc_hook_add(type " + type + ")",
                () -> (int) lib.hookAdd.invokeExact(uc, scratch, type, callback, user, begin, end, extra));
        return new UcHook(scratch.get(JAVA_LONG, 0), type);
    }

    public void removeHook(UcHook hook) {
        call("uc_hook_del", () -> (int) lib.hookDel.invokeExact(uc, hook.handle()));
    }

    // ---- controls -------------------------------------------------------

    /**
     * Makes {@link #start}'s {@code until} argument inert (Unicorn's exits
     * mechanism with an empty exit list): otherwise a guest reaching the
     * {@code until} address, e.g. 0 for firmware, would silently stop.
     */
    public void disableUntilAddress() {
        call("uc_ctl(USE_EXITS)", () -> (int) lib.ctlInt.invokeExact(uc, CTL_WRITE | (1 << 26) | CTL_USE_EXITS, 1));
    }

    /** Drops every translated block (after code bytes changed). */
    public void flushTranslations() {
        ctl("uc_ctl(TB_FLUSH)", CTL_WRITE | CTL_TB_FLUSH);
    }

    /** Drops translated blocks covering [begin, end). */
    public void removeTranslations(long begin, long end) {
        call("uc_ctl(TB_REMOVE_CACHE)",
                () -> (int) lib.ctlLongLong.invokeExact(uc, CTL_WRITE | (2 << 26) | CTL_TB_REMOVE_CACHE, begin, end));
    }

    /** Drops the TLB (and translated blocks): after the host changed page tables behind the guest. */
    public void flushTlb() {
        ctl("uc_ctl(TLB_FLUSH)", CTL_WRITE | CTL_TLB_FLUSH);
    }

    /** What {@link #saveContext} covers: {@link #CONTEXT_CPU}, optionally | {@link #CONTEXT_MEMORY}. */
    public void setContextMode(int mode) {
        call("uc_ctl(CONTEXT_MODE)", () -> (int) lib.ctlInt.invokeExact(uc, CTL_WRITE | (1 << 26) | CTL_CONTEXT_MODE, mode));
    }

    private void ctl(String what, int control) {
        call(what, () -> (int) lib.ctl0.invokeExact(uc, control));
    }

    // ---- contexts -------------------------------------------------------

    public UcContext allocContext() {
        call("uc_context_alloc", () -> (int) lib.contextAlloc.invokeExact(uc, scratch));
        UcContext c = new UcContext(this, scratch.get(ADDRESS, 0));
        contexts.add(c);
        return c;
    }

    public void saveContext(UcContext c) {
        checkOwner(c);
        call("uc_context_save", () -> (int) lib.contextSave.invokeExact(uc, c.pointer()));
    }

    public void restoreContext(UcContext c) {
        checkOwner(c);
        call("uc_context_restore", () -> (int) lib.contextRestore.invokeExact(uc, c.pointer()));
    }

    public long contextSize() {
        try {
            return (long) lib.contextSize.invokeExact(uc);
        } catch (Throwable t) {
            throw wrap("uc_context_size", t);
        }
    }

    void freeContext(UcContext c) {
        try {
            int err = (int) lib.contextFree.invokeExact(c.pointer());
            contexts.remove(c);
            check("uc_context_free", err);
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("uc_context_free", t);
        }
    }

    private void checkOwner(UcContext c) {
        if (c.owner() != this) {
            throw new IllegalArgumentException("context belongs to another engine");
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (UcContext c : List.copyOf(contexts)) {
            c.close();
        }
        try {
            int err = (int) lib.close.invokeExact(uc);
            check("uc_close", err);
        } catch (UnicornException e) {
            throw e;
        } catch (Throwable t) {
            throw wrap("uc_close", t);
        } finally {
            arena.close(); // upcall stubs die with the engine that could call them
        }
    }

    // ---- plumbing -------------------------------------------------------

    /** One C API call that returns uc_err. */
    @FunctionalInterface
    private interface Call {
        int invoke() throws Throwable;
    }

    /** Makes {@code c} and turns a non-OK uc_err, or a failure of the call itself, into a {@link UnicornException}. */
    private void call(String what, Call c) {
        int err;
        try {
            err = c.invoke();
        } catch (Throwable t) {
            throw wrap(what, t);
        }
        check(what, err);
    }

    private void check(String what, int err) {
        if (err != UcErr.OK) {
            throw new UnicornException(what, err, lib.strerror(err));
        }
    }

    private static UnicornException wrap(String what, Throwable t) {
        return new UnicornException(what + " failed: " + t);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A callback threw: remember the first failure and stop the CPU. */
    void callbackFailed(Throwable t) {
        if (callbackFailure == null) {
            callbackFailure = t;
        }
        try {
            int ignored = (int) lib.emuStop.invokeExact(uc);
        } catch (Throwable ignored) {
            // nothing more we can do from inside a callback
        }
    }

    private record BlockAdapter(Unicorn u, Callbacks.Block cb) {
        void call(MemorySegment uc, long address, int size, MemorySegment user) {
            try {
                cb.onBlock(address, size);
            } catch (Throwable t) {
                u.callbackFailed(t);
            }
        }
    }

    private record CodeAdapter(Unicorn u, Callbacks.Code cb) {
        void call(MemorySegment uc, long address, int size, MemorySegment user) {
            try {
                cb.onCode(address, size);
            } catch (Throwable t) {
                u.callbackFailed(t);
            }
        }
    }

    private record IntrAdapter(Unicorn u, Callbacks.Interrupt cb) {
        void call(MemorySegment uc, int intno, MemorySegment user) {
            try {
                cb.onInterrupt(intno);
            } catch (Throwable t) {
                u.callbackFailed(t);
            }
        }
    }

    private record SysAdapter(Unicorn u, Callbacks.SysInsn cb) {
        int call(MemorySegment uc, int reg, MemorySegment cp, MemorySegment user) {
            try {
                MemorySegment c = cp.reinterpret(32);
                return cb.onSysInsn(reg, c.get(JAVA_INT, 8), c.get(JAVA_INT, 12), c.get(JAVA_INT, 0),
                        c.get(JAVA_INT, 4), c.get(JAVA_INT, 16), c.get(JAVA_LONG, 24)) ? 1 : 0;
            } catch (Throwable t) {
                u.callbackFailed(t);
                return 1;
            }
        }
    }

    private record MemAdapter(Unicorn u, Callbacks.Memory cb) {
        boolean call(MemorySegment uc, int type, long address, int size, long value, MemorySegment user) {
            try {
                return cb.onAccess(type, address, size, value);
            } catch (Throwable t) {
                u.callbackFailed(t);
                return false;
            }
        }
    }

    private record MmioAdapter(Unicorn u, Callbacks.Mmio device) {
        long read(MemorySegment uc, long offset, int size, MemorySegment user) {
            try {
                if (u.exactDevicePc) {
                    u.syncDevicePc();
                }
                return device.read(offset, size);
            } catch (Throwable t) {
                u.callbackFailed(t);
                return 0;
            }
        }

        void write(MemorySegment uc, long offset, int size, long value, MemorySegment user) {
            try {
                if (u.exactDevicePc) {
                    u.syncDevicePc();
                }
                device.write(offset, size, value);
            } catch (Throwable t) {
                u.callbackFailed(t);
            }
        }
    }
}
