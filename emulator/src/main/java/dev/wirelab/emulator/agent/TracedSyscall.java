package dev.wirelab.emulator.agent;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * One ordinary {@code svc #0} the host saw, before the guest kernel did.
 *
 * @param seq         position in the host's trace (0 = first traced since attach)
 * @param instruction retired instructions when the svc was taken
 * @param agent       the agent that issued it, or -1 for other threads
 * @param pc          address of the svc instruction
 * @param sp          the thread's stack pointer (SP_EL0) at the call: tells threads apart
 * @param number      x8
 * @param args        x0..x5
 * @param resultKnown whether {@code result} is valid (known for agent calls, from their REPORT)
 * @param result      x0 after the call
 */
public record TracedSyscall(long seq, long instruction, int agent, long pc, long sp, int number, long[] args,
                            boolean resultKnown, long result) {
    public TracedSyscall {
        args = args.clone();
    }

    @Override
    public long[] args() {
        return args.clone();
    }

    public String name() {
        return Sysno.nameOf(number);
    }

    TracedSyscall withResult(long r) {
        return new TracedSyscall(seq, instruction, agent, pc, sp, number, args, true, r);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TracedSyscall t && seq == t.seq && instruction == t.instruction && agent == t.agent
                && pc == t.pc && sp == t.sp && number == t.number && Arrays.equals(args, t.args)
                && resultKnown == t.resultKnown && result == t.result;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seq) * 31 + Long.hashCode(instruction);
    }

    /** "@1234567 agent0 pc=0x40201234 socket(0x2, 0x1, 0x0, ...) = 3". */
    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", name() + "(", ")");
        for (long a : args) {
            j.add("0x" + Long.toHexString(a));
        }
        String who = agent >= 0 ? "agent" + agent : String.format("sp=0x%x", sp);
        String res = resultKnown ? " = " + result + (Errno.isError(result) ? " (" + Errno.nameOf(result) + ")" : "") : "";
        return String.format("@%d %s pc=0x%x %s%s", instruction, who, pc, j, res);
    }
}
