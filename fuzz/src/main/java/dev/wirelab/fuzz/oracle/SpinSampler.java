package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.cpu.Reg;
import dev.wirelab.emulator.lab.Lab;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Names the loop a spinning guest is stuck in, the same way wherever in the loop the CPU happens to
 * be: the guest runs on for {@link #SAMPLES} slices of a prime number of instructions (from a
 * snapshot that is restored afterwards, so the execution's state and trace hash stay as they were),
 * and each slice's end gives a call chain — the function at PC, at LR, and the return addresses on
 * the stack (words just after a {@code bl}/{@code blr}). The spinning thread is the one most samples
 * found running; its loop is the innermost function present in every one of its samples (the frames
 * inside the loop come and go, the loop's own frame and its callers stay). A user thread's loop is
 * looked for in its user-mode samples first: its kernel samples only show the syscall path.
 */
final class SpinSampler {
    static final int SAMPLES = 192;
    /** Instructions between samples: prime, so no loop period aliases with it. */
    static final long STRIDE = 1_021;
    /** User-mode samples needed to name a user thread's loop from them (a syscall-heavy loop has few). */
    static final int MIN_USER = 8;
    /** Stack bytes scanned above SP for return addresses. */
    static final int STACK_SCAN = 2048;
    private static final int PAGE = 4096;

    /**
     * The spin as sampled: its thread (null without a thread table), the loop function, the samples
     * that found the thread running, and whether every one of them had preemption disabled.
     */
    record Spin(GuestThreads.GuestThread thread, String function, int samples, boolean preemptionDisabled) { }

    private record Sample(GuestThreads.GuestThread thread, boolean user, List<String> chain) { }

    private SpinSampler() {
    }

    /** Empty when the guest stops (ends) before any sample, or no function is common to the samples. */
    static Optional<Spin> sample(Lab lab) {
        List<Sample> samples = new ArrayList<>();
        long budget = lab.getBudget();
        Snapshot s = lab.snapshot();
        try {
            lab.setBudget(SAMPLES * STRIDE);
            for (int i = 0; i < SAMPLES; i++) {
                Stop stop = lab.getBoard().run(STRIDE);
                samples.add(take(lab));
                if (stop.cause().guestEnded()) {
                    break;
                }
            }
        } catch (RuntimeException e) {
            // a guest that faults or ends while sampled: name what was sampled before
        } finally {
            lab.restore(s);
            s.close();
            lab.setBudget(budget);
        }
        return name(samples);
    }

    private static Optional<Spin> name(List<Sample> samples) {
        Map<String, List<Sample>> byThread = new LinkedHashMap<>();
        for (Sample x : samples) {
            byThread.computeIfAbsent(x.thread() == null ? "" : x.thread().name(), k -> new ArrayList<>()).add(x);
        }
        List<Sample> spinning = byThread.values().stream().reduce((a, b) -> b.size() > a.size() ? b : a).orElse(List.of());
        if (spinning.isEmpty()) {
            return Optional.empty();
        }
        List<Sample> user = spinning.stream().filter(Sample::user).toList();
        List<Sample> kernel = spinning.stream().filter(x -> !x.user()).toList();
        Optional<String> loop = user.size() >= MIN_USER ? innermostCommon(user) : Optional.empty();
        if (loop.isEmpty()) {
            loop = innermostCommon(kernel.isEmpty() ? user : kernel);
        }
        if (loop.isEmpty() && !user.isEmpty()) {
            // kernel samples from different entries (a syscall, an IRQ) share no frame: the few user ones name the loop
            loop = innermostCommon(user);
        }
        boolean disabled = spinning.stream().allMatch(x -> x.thread() != null && x.thread().preempt() > 0);
        return loop.map(f -> new Spin(spinning.get(0).thread(), f, spinning.size(), disabled));
    }

    private static Optional<String> innermostCommon(List<Sample> samples) {
        if (samples.isEmpty()) {
            return Optional.empty();
        }
        Set<String> common = new LinkedHashSet<>(samples.get(0).chain());
        for (Sample x : samples) {
            common.retainAll(x.chain());
        }
        return samples.get(0).chain().stream().filter(common::contains).findFirst();
    }

    private static Sample take(Lab lab) {
        Board b = lab.getBoard();
        GuestThreads.GuestThread running = GuestThreads.read(lab).stream().filter(GuestThreads.GuestThread::current)
                .findFirst().orElse(null);
        boolean user = ((b.reg(Reg.PSTATE) >> 2) & 3) == 0;
        List<String> chain = new ArrayList<>();
        add(chain, function(lab, b.pc()));
        add(chain, function(lab, b.x(30)));
        for (long ret : returnAddresses(b, b.reg(Reg.SP))) {
            add(chain, function(lab, ret));
        }
        return new Sample(running, user, chain);
    }

    private static void add(List<String> chain, String f) {
        if (!f.startsWith("0x") && (chain.isEmpty() || !chain.get(chain.size() - 1).equals(f))) {
            chain.add(f);
        }
    }

    /** Words on the stack above {@code sp} that point just after a {@code bl} or {@code blr}. */
    private static List<Long> returnAddresses(Board b, long sp) {
        List<Long> out = new ArrayList<>();
        long at = sp & ~7L;
        long end = at + STACK_SCAN;
        while (at < end) {
            int n = (int) Math.min(end - at, PAGE - (at & (PAGE - 1)));
            byte[] bytes;
            try {
                bytes = b.readVirtual(at, n);
            } catch (RuntimeException e) {
                break; // the stack's end (an unmapped page)
            }
            ByteBuffer w = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i + 8 <= n; i += 8) {
                long v = w.getLong(i);
                if (afterCall(b, v)) {
                    out.add(v);
                }
            }
            at += n;
        }
        return out;
    }

    private static boolean afterCall(Board b, long v) {
        if ((v & 3) != 0 || v < 4) {
            return false;
        }
        try {
            int insn = ByteBuffer.wrap(b.readVirtual(v - 4, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();
            return (insn & 0xFC000000) == 0x94000000 || (insn & 0xFFFFFC1F) == 0xD63F0000;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The function {@code address} is in, without offset or address (stable across executions); hex when none. */
    static String function(Lab lab, long address) {
        return lab.getBoard().describe(address).replaceAll("\\+0x[0-9a-f]+", "").replaceAll("\\s*\\(0x[0-9a-f]+\\)", "");
    }
}
