package dev.wirelab.fuzz.oracle;

import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.fuzz.exec.Execution;
import java.util.List;
import java.util.Optional;

/**
 * Hang or deadlock: the execution's instruction budget ran out, or in the quiet window after the
 * last action (no input at all) the CPU was busy nearly all the time instead of idling. The report
 * lists the guest's threads — which were runnable and where each one was — read from the guest's
 * thread table through its symbols.
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
        String running = "";
        for (GuestThreads.GuestThread t : threads) {
            d.append("  ").append(t).append('\n');
            if (t.current()) {
                running = " (" + t.name() + " running";
                running += t.preempt() > 0 ? ", preemption disabled)" : ")";
            }
        }
        if (threads.isEmpty()) {
            d.append("  (no thread table: the guest has no 'threads' symbol)\n");
        }
        String pcSym = function(lab, lab.getBoard().pc());
        if (pcSym.startsWith("__")) {
            // a compiler helper (atomics): the spin is its caller's, and that is the stable name
            pcSym = function(lab, lab.getBoard().x(30));
        }
        return Optional.of(new Finding("hang", "hang: guest spinning in " + pcSym + running, d.toString()));
    }

    /** The function {@code address} is in, without offset or address (stable across executions). */
    private static String function(Lab lab, long address) {
        return lab.getBoard().describe(address).replaceAll("\\+0x[0-9a-f]+", "").replaceAll("\\s*\\(0x[0-9a-f]+\\)", "");
    }
}
