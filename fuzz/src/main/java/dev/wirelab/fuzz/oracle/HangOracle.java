package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import java.util.List;
import java.util.Optional;

/**
 * Hang or deadlock: the execution's instruction budget ran out, or in the quiet window after the
 * last action (no input at all) the CPU was busy nearly all the time instead of idling. The report
 * lists the guest's threads — which were runnable and where each one was — read from the guest's
 * thread table through its symbols. The title names the spinning thread and the loop it is in, as
 * {@link SpinSampler} finds them, so one spin gets one title wherever the CPU stopped.
 */
public final class HangOracle implements Oracle {
    /** Busy fraction of the quiet window above which the guest counts as spinning. */
    static final double BUSY = 0.9;

    @Override
    public Optional<Finding> check(Execution e, Lab lab) {
        String why;
        if (e.budgetOut() != null) {
            why = "the execution's instruction budget ran out: " + e.budgetOut();
        } else if (e.quiet().ticks() > 0 && e.quiet().busy() >= BUSY) {
            why = String.format("busy %.0f%% of a %s quiet window with no input (%,d instructions)",
                    e.quiet().busy() * 100, Execution.formatTicks(e.quiet().ticks()), e.quiet().instructions());
        } else {
            return Optional.empty();
        }
        List<GuestThreads.GuestThread> threads = GuestThreads.read(lab);
        StringBuilder d = new StringBuilder(why).append('\n').append("cpu at ").append(lab.getBoard()
                .describe(lab.getBoard().pc())).append('\n');
        for (GuestThreads.GuestThread t : threads) {
            d.append("  ").append(t).append('\n');
        }
        if (threads.isEmpty()) {
            d.append("  (no thread table: the guest has no 'threads' symbol)\n");
        }
        // The title names the loop, not the instruction the CPU happened to stop at: the same spin
        // stopped in memcpy, tcp_segs_free or mem_malloc is one bug (SpinSampler).
        Optional<SpinSampler.Spin> spin = SpinSampler.sample(lab);
        String loop;
        GuestThreads.GuestThread thread;
        boolean disabled;
        if (spin.isPresent()) {
            disabled = spin.get().preemptionDisabled();
            loop = spin.get().function();
            thread = spin.get().thread();
            d.append(String.format("the loop: %s, on the stack in all %d samples of %s running (of %d, %,d instructions apart)%n",
                    loop, spin.get().samples(), thread == null ? "the guest" : thread.name(), SpinSampler.SAMPLES,
                    SpinSampler.STRIDE));
        } else {
            loop = SpinSampler.function(lab, lab.getBoard().pc());
            if (loop.startsWith("__")) {
                // a compiler helper (atomics): the spin is its caller's, and that is the stable name
                loop = SpinSampler.function(lab, lab.getBoard().x(30));
            }
            thread = threads.stream().filter(GuestThreads.GuestThread::current).findFirst().orElse(null);
            disabled = thread != null && thread.preempt() > 0;
        }
        String running = thread == null ? ""
                : " (" + thread.name() + " running" + (disabled ? ", preemption disabled)" : ")");
        return Optional.of(new Finding("hang", "hang: guest spinning in " + loop + running, d.toString()));
    }
}
