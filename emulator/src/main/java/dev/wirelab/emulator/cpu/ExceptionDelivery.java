package dev.wirelab.emulator.cpu;

import dev.wirelab.emulator.unicorn.Arm64Reg;
import dev.wirelab.emulator.unicorn.UcErr;
import dev.wirelab.emulator.unicorn.Unicorn;
import dev.wirelab.emulator.unicorn.UnicornException;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * Architectural exception delivery on top of {@link ExceptionEngine}: the
 * synchronous exceptions (with their syndromes, fault addresses and fault
 * classification from the guest's page tables), IRQ/FIQ entry, and the checks
 * that turn a guest that cannot recover (no vectors, a recursive exception, a
 * handler that never fixes its fault) into a {@link GuestFaultException}.
 * Unicorn never enters the guest's vectors itself (see {@link ExceptionEngine}).
 */
public final class ExceptionDelivery {
    /** The same abort/undefined at the same PC this many times in a row: the handler never fixes it. */
    static final int FAULT_LOOP_LIMIT = 1000;

    /** What a snapshot must carry of the delivery's fault tracking. */
    public record State(long lastSyncVector, long lastFaultPc, long lastFaultEsr, int repeatedFaults) { }

    private final Unicorn uc;
    private final ExceptionEngine exceptions;
    private final InstructionCounter counter;
    private final LongFunction<String> describe;
    private final LongUnaryOperator readPhysical64;
    private long lastSyncVector = -1;
    private long lastFaultPc = -1;
    private long lastFaultEsr = -1;
    private int repeatedFaults;

    /**
     * @param describe       names a guest address for messages ("func+0x1c (0x...)")
     * @param readPhysical64 reads 8 bytes of guest physical memory for page-table walks (0 outside memory)
     */
    public ExceptionDelivery(Unicorn uc, InstructionCounter counter, LongFunction<String> describe,
                             LongUnaryOperator readPhysical64) {
        this.uc = uc;
        this.exceptions = new ExceptionEngine(uc);
        this.counter = counter;
        this.describe = describe;
        this.readPhysical64 = readPhysical64;
    }

    public ExceptionEngine engine() {
        return exceptions;
    }

    public State save() {
        return new State(lastSyncVector, lastFaultPc, lastFaultEsr, repeatedFaults);
    }

    public void restore(State s) {
        lastSyncVector = s.lastSyncVector();
        lastFaultPc = s.lastFaultPc();
        lastFaultEsr = s.lastFaultEsr();
        repeatedFaults = s.repeatedFaults();
    }

    /**
     * Takes a synchronous exception: the instruction at {@code returnPc} did not
     * retire (for SVC the CPU already stepped past it: {@code boundary} is after it).
     */
    public void takeSync(long boundary, long returnPc, long esr, long far, String what) {
        int ec = (int) (esr >>> 26);
        if (ec != ExceptionEngine.EC_SVC64 && ec != ExceptionEngine.EC_BRK64) {
            repeatedFaults = returnPc == lastFaultPc && esr == lastFaultEsr ? repeatedFaults + 1 : 0;
            lastFaultPc = returnPc;
            lastFaultEsr = esr;
            if (repeatedFaults >= FAULT_LOOP_LIMIT) {
                throw unhandled(what + " repeated " + FAULT_LOOP_LIMIT + " times: the guest's handler returns to the "
                        + "faulting instruction without fixing it", returnPc);
            }
        }
        if (returnPc == lastSyncVector) {
            throw unhandled("recursive exception (" + what + " inside the exception vector itself)", returnPc);
        }
        long vector = exceptions.enter(ExceptionEngine.Kind.SYNC, returnPc, esr, far);
        counter.redirect(boundary, vector, 0);
        // Checked after entry: the vector must be fetchable at EL1, whatever EL the exception came from.
        if (!vectorInstalled(vector)) {
            throw unhandled(what + " with no exception vectors installed (VBAR_EL1 = 0x"
                    + Long.toHexString(exceptions.vbar()) + ")", returnPc);
        }
        lastSyncVector = vector;
    }

    /** True when an asserted IRQ/FIQ input is not masked by PSTATE. */
    public boolean unmasked(boolean irq, boolean fiq) {
        long pstate = exceptions.pstate();
        return (irq && (pstate & ExceptionEngine.PSTATE_I) == 0) || (fiq && (pstate & ExceptionEngine.PSTATE_F) == 0);
    }

    /**
     * IRQ/FIQ entry at an instruction boundary for the asserted inputs PSTATE does
     * not mask (FIQ first); returns the kind taken, or null when both are masked.
     */
    public ExceptionEngine.Kind takeInterrupt(boolean irq, boolean fiq) {
        ExceptionEngine.Kind kind = exceptions.enterInterrupt(irq, fiq);
        if (kind == null) {
            return null;
        }
        if (!vectorInstalled(exceptions.lastVector())) {
            throw new GuestFaultException("guest fault: interrupts unmasked with no exception vectors installed, at "
                    + describe.apply(exceptions.lastReturnPc()));
        }
        lastSyncVector = -1;
        return kind;
    }

    /** A data abort Unicorn reported at {@code pc}: the address comes from decoding the load/store. */
    public void dataAbort(long pc) {
        int insn = fetchOrZero(pc);
        AccessDecoder.Access a = AccessDecoder.decode(insn, pc, this::registerOrSp);
        long va = a == null ? 0 : a.address();
        boolean write = a != null && a.write();
        int el = exceptions.currentEl();
        PageTableWalker.Fault f = classify(va, el, write, false);
        long iss = (write ? 1L << 6 : 0) | (f == null ? ExceptionEngine.FSC_PERMISSION : f.fsc());
        int ec = el == 0 ? ExceptionEngine.EC_DABT_LOWER : ExceptionEngine.EC_DABT_CURRENT;
        takeSync(pc, pc, ExceptionEngine.syndrome(ec, iss), va, "data abort at 0x" + Long.toHexString(va)
                + (f == null ? "" : " (" + f.reason() + ")"));
    }

    public void instructionAbort(long pc) {
        int el = exceptions.currentEl();
        PageTableWalker.Fault f = classify(pc, el, false, true);
        int ec = el == 0 ? ExceptionEngine.EC_IABT_LOWER : ExceptionEngine.EC_IABT_CURRENT;
        takeSync(pc, pc, ExceptionEngine.syndrome(ec, f == null ? ExceptionEngine.FSC_PERMISSION : f.fsc()), pc,
                "instruction abort" + (f == null ? "" : " (" + f.reason() + ")"));
    }

    /**
     * A load/store or fetch reached memory nothing is mapped at ({@code ucErr} says
     * which): a synchronous external abort, as on QEMU. {@code what} names the access.
     */
    public void externalAbort(int ucErr, String what) {
        long pc = uc.readReg(Arm64Reg.PC);
        int el = exceptions.currentEl();
        if (ucErr == UcErr.FETCH_UNMAPPED) {
            int ec = el == 0 ? ExceptionEngine.EC_IABT_LOWER : ExceptionEngine.EC_IABT_CURRENT;
            takeSync(pc, pc, ExceptionEngine.syndrome(ec, ExceptionEngine.FSC_EXTERNAL), pc, "instruction fetch from "
                    + "unmapped memory");
            return;
        }
        AccessDecoder.Access a = AccessDecoder.decode(fetchOrZero(pc), pc, this::registerOrSp);
        boolean write = a != null ? a.write() : ucErr == UcErr.WRITE_UNMAPPED;
        long far = a != null ? a.address() : -1;
        int ec = el == 0 ? ExceptionEngine.EC_DABT_LOWER : ExceptionEngine.EC_DABT_CURRENT;
        takeSync(pc, pc, ExceptionEngine.syndrome(ec, (write ? 1L << 6 : 0) | ExceptionEngine.FSC_EXTERNAL), far,
                what != null ? what : "access to unmapped memory");
    }

    /** The guest-fault exception for {@code what} at {@code at}, for the board's own unrecoverable cases. */
    public GuestFaultException unhandled(String what, long at) {
        return new GuestFaultException("guest fault: " + what + " at " + describe.apply(at));
    }

    /**
     * A vector is usable when its first instruction can be fetched and is not zero (an empty table).
     * The fetch translates for execution itself (it fails where a translation would): no separate
     * translation, this runs at every exception.
     */
    private boolean vectorInstalled(long vector) {
        return fetchOrZero(vector) != 0;
    }

    private PageTableWalker.Fault classify(long va, int el, boolean write, boolean exec) {
        long sctlr = uc.readSysReg(3, 0, 1, 0, 0);
        if ((sctlr & 1) == 0) {
            return new PageTableWalker.Fault(ExceptionEngine.FSC_EXTERNAL, 0, "MMU off");
        }
        return PageTableWalker.classify(va, el, write, exec, uc.readSysReg(3, 0, 2, 0, 2), uc.readSysReg(3, 0, 2, 0, 0),
                uc.readSysReg(3, 0, 2, 0, 1), readPhysical64);
    }

    private long registerOrSp(int n) {
        return n == 31 ? uc.readReg(Arm64Reg.SP) : uc.readReg(Arm64Reg.x(n));
    }

    /** The instruction word at guest virtual {@code address}, or 0 when it cannot be fetched. */
    public int fetchOrZero(long address) {
        try {
            byte[] b = uc.readVirtual(address, 4, Unicorn.PROT_EXEC);
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
        } catch (UnicornException e) {
            return 0;
        }
    }
}
