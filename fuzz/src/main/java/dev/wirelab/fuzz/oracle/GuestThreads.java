package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The default guest's thread table ({@code threads[]} and {@code cur} in guest/kernel/sched.c), read
 * through its symbols. The layout mirrors {@code struct thread} in guest/kernel/kernel.h (the ELF
 * carries no DWARF); entries that do not look like threads end the read rather than mislead.
 */
final class GuestThreads {
    static final int MAX_THREADS = 32;
    static final int STRIDE = 328;
    static final int OFF_LR = 88;
    static final int OFF_TID = 104;
    static final int OFF_STATE = 108;
    static final int OFF_PREEMPT = 112;
    static final int OFF_USER = 116;
    static final int OFF_NAME = 120;
    static final int OFF_CHAN = 152;
    static final String[] STATES = {"free", "runnable", "blocked", "zombie"};

    record GuestThread(int tid, String name, String state, int preempt, boolean user, boolean current, String where,
                       String waitingOn) {
        @Override
        public String toString() {
            return String.format("%s%-8s tid %d %-8s preempt %d %s at %s%s", current ? "*" : " ", name, tid, state,
                    preempt, user ? "user" : "kernel", where, waitingOn == null ? "" : " waiting on " + waitingOn);
        }
    }

    private GuestThreads() {
    }

    static List<GuestThread> read(Lab lab) {
        List<GuestThread> out = new ArrayList<>();
        if (!lab.sym.containsKey("threads") || !lab.sym.containsKey("cur")) {
            return out;
        }
        try {
            long base = lab.sym.get("threads");
            long cur = lab.mem.u64("cur");
            ByteBuffer b = ByteBuffer.wrap(lab.mem.read(base, MAX_THREADS * STRIDE)).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < MAX_THREADS; i++) {
                int o = i * STRIDE;
                int state = b.getInt(o + OFF_STATE);
                if (state < 0 || state >= STATES.length) {
                    break;
                }
                if (state == 0) {
                    continue;
                }
                boolean current = base + o == cur;
                long lr = b.getLong(o + OFF_LR);
                long chan = b.getLong(o + OFF_CHAN);
                String where = current ? lab.getBoard().describe(lab.getBoard().pc()) : lab.getBoard().describe(lr);
                out.add(new GuestThread(b.getInt(o + OFF_TID), name(b, o + OFF_NAME), STATES[state],
                        b.getInt(o + OFF_PREEMPT), b.getInt(o + OFF_USER) != 0, current, where,
                        chan == 0 ? null : lab.getBoard().describe(chan)));
            }
        } catch (RuntimeException e) {
            out.clear();
        }
        return out;
    }

    private static String name(ByteBuffer b, int at) {
        byte[] n = new byte[16];
        b.get(at, n);
        int len = 0;
        while (len < n.length && n[len] != 0) {
            len++;
        }
        return new String(n, 0, len, StandardCharsets.US_ASCII);
    }
}
