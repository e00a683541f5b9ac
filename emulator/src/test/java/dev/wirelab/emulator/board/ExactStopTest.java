package dev.wirelab.emulator.board;

import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Count-free slices with exact stops (the executor's run loop) against Unicorn's count limit
 * (the loop they replaced): the same guest driven the same way stops at the same instructions,
 * PCs and virtual times, and leaves the same trace hash. Slices end mid-block on purpose (odd
 * budgets, single steps, a forced tick, breakpoints, the timer's deadlines while the default
 * guest boots, waits in WFI and takes interrupts).
 */
class ExactStopTest {
    private static final String GUEST = "/guest/kernel/wirelab-guest.elf";

    /** What one run showed: enough to tell two executions apart. */
    record Step(StopCause cause, long instructions, long ticks, long pc) {
        static Step of(Stop s) {
            return new Step(s.cause(), s.instructions(), s.ticks(), s.pc());
        }
    }

    record Outcome(List<Step> steps, String trace, String console) { }

    private static Outcome drive(boolean countLimited, Function<Board, List<Step>> script) {
        try (Board b = Board.create(BoardConfig.defaults())) {
            if (countLimited) {
                b.countLimitedSlices();
            }
            b.load(BootImages.parse(GUEST, TestCode.resource(GUEST)));
            List<Step> steps = script.apply(b);
            return new Outcome(steps, b.trace().hex(), b.console().text());
        }
    }

    private static void sameInBothModes(Function<Board, List<Step>> script) {
        // Otherwise both boards run count-limited and the comparison proves nothing.
        assertTrue(dev.wirelab.emulator.unicorn.Unicorn.exactPcAtDeviceAccess(),
                "this Unicorn cannot restore PC at device accesses, so boards fall back to count-limited slices");
        Outcome exact = drive(false, script);
        Outcome counted = drive(true, script);
        assertEquals(counted.steps().size(), exact.steps().size());
        for (int i = 0; i < exact.steps().size(); i++) {
            assertEquals(counted.steps().get(i), exact.steps().get(i), "run " + i);
        }
        assertEquals(counted.trace(), exact.trace(), "trace hash");
        assertEquals(counted.console(), exact.console());
        assertTrue(exact.console().contains("wirelab-guest: ready"), exact.console());
    }

    /** Boots to ready in odd-sized runs (their ends fall mid-block), then idles through timer ticks. */
    private static List<Step> boot(Board b) {
        long[] sizes = {99_991, 1, 7, 250_007, 3, 12_345, 64, 31_337};
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < 400 && !b.console().text().contains("wirelab-guest: ready"); i++) {
            steps.add(Step.of(b.run(sizes[i % sizes.length])));
        }
        for (int i = 0; i < 40; i++) {
            steps.add(Step.of(b.run(sizes[i % sizes.length] * 3)));
        }
        return steps;
    }

    @Test
    void bootingInOddSlicesStopsAtTheSameInstructions() {
        sameInBothModes(ExactStopTest::boot);
    }

    @Test
    void singleStepsAForcedTickAndBreakpointsMatch() {
        sameInBothModes(b -> {
            List<Step> steps = boot(b);
            List<Long> pcs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Stop s = b.run(1);
                steps.add(Step.of(s));
                pcs.add(s.pc());
            }
            steps.add(Step.of(b.run(1_234_567)));
            b.tick();
            steps.add(Step.of(b.run(777_777)));
            // A breakpoint on an instruction the guest ran while stepping (its idle loop or a handler).
            long at = pcs.get(1_500);
            b.addBreakpoint(at);
            for (int i = 0; i < 5; i++) {
                steps.add(Step.of(b.run(5_000_001)));
            }
            b.removeBreakpoint(at);
            steps.add(Step.of(b.run(RunUntil.budget(2_000_003).at(pcs.get(700)))));
            steps.add(Step.of(b.run(3_000_017)));
            return steps;
        });
    }
}
