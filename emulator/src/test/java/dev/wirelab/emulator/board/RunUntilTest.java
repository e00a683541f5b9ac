package dev.wirelab.emulator.board;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static dev.wirelab.emulator.board.TestCode.RAM;
import static dev.wirelab.emulator.board.TestCode.boot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one run primitive: every stop cause, what a stop carries, and the guard. */
class RunUntilTest extends BoardFixture {
    @Test
    void breakpointStopsBeforeTheInstructionAndSaysWhich() {
        boot(board, ADD_X0_1, ADD_X0_1, NOP, B_SELF);
        Stop s = board.run(RunUntil.budget(1000).at(RAM + 8));
        assertEquals(StopCause.BREAKPOINT, s.cause());
        assertEquals(RAM + 8, s.breakpoint());
        assertEquals(RAM + 8, s.pc());
        assertEquals(2, s.instructions());
        assertTrue(board.breakpoints().isEmpty(), "a run's own breakpoint is gone after it");
        // Resuming from it does not stop there again at once: the next stop is the budget.
        assertEquals(StopCause.BUDGET_EXHAUSTED, board.run(RunUntil.budget(10).at(RAM + 8)).cause());
    }

    @Test
    void userBreakpointsHoldUnlessTheRunIgnoresThem() {
        boot(board, ADD_X0_1, B_MINUS_4);
        board.addBreakpoint(RAM);
        assertEquals(StopCause.BREAKPOINT, board.run(100).cause());
        long before = board.clock().instructions();
        Stop s = board.run(RunUntil.budget(100).ignoringUserBreakpoints());
        assertEquals(StopCause.BUDGET_EXHAUSTED, s.cause());
        assertEquals(before + 100, s.instructions(), "ran its whole budget through the breakpoint");
        assertEquals(StopCause.BREAKPOINT, board.run(100).cause(), "still installed");
    }

    @Test
    void printedTextStopsRightAfterItsLastByte() {
        long entry = TestCode.loadElf(board, TestCode.resource("/guest/tests/hello.elf"));
        board.resetCpu(entry, 0);
        Stop s = board.run(RunUntil.budget(1_000_000).printed("from wi"));
        assertEquals(StopCause.CONSOLE_MATCH, s.cause());
        assertEquals("hello from wi", board.console().text());
    }

    @Test
    void consolePatternIsCheckedAtLineEnds() {
        long entry = TestCode.loadElf(board, TestCode.resource("/guest/tests/hello.elf"));
        board.resetCpu(entry, 0);
        Stop s = board.run(RunUntil.budget(1_000_000).console(Pattern.compile("wire\\w+")));
        assertEquals(StopCause.CONSOLE_MATCH, s.cause());
        assertEquals("hello from wirelab test guest\n", board.console().text(), "ends at the completed line");
    }

    @Test
    void guestExitCarriesTheExitStatus() {
        long entry = TestCode.loadElf(board, TestCode.resource("/guest/tests/hello.elf"));
        board.resetCpu(entry, 0);
        Stop s = board.run(RunUntil.unbounded());
        assertEquals(StopCause.GUEST_EXIT, s.cause());
        assertEquals(ExitStatus.Kind.SEMIHOSTING_EXIT, s.exit().kind());
        assertEquals(0, s.exitCode());
        assertTrue(s.guestEnded());
        assertEquals(StopCause.GUEST_EXIT, board.run(100).cause(), "an ended guest stays ended");
    }

    @Test
    void virtualTimeDeadlineStopsExactlyThere() {
        boot(board, ADD_X0_1, B_MINUS_4);
        Stop s = board.run(RunUntil.unbounded().time(12_345));
        assertEquals(StopCause.TIME_REACHED, s.cause());
        assertEquals(12_345, s.ticks());
        assertTrue(board.events().pending().isEmpty(), "the deadline event is gone after the run");
    }

    @Test
    void idleForeverAndFaultAreTheGuestsOwnEndings() {
        boot(board, NOP, WFI, B_SELF);
        Stop idle = board.run(1000);
        assertEquals(StopCause.IDLE_FOREVER, idle.cause());
        assertTrue(idle.guestEnded());
        assertNull(idle.exit());
    }

    @Test
    void interruptEndsTheNextRunAtOnceAndIsUsedUp() {
        boot(board, ADD_X0_1, B_MINUS_4);
        board.interrupt();
        Stop s = board.run(1000);
        assertEquals(StopCause.INTERRUPTED, s.cause());
        assertEquals(0, s.instructions());
        assertEquals(StopCause.BUDGET_EXHAUSTED, board.run(1000).cause());
        board.interrupt();
        board.clearInterrupt();
        assertEquals(StopCause.BUDGET_EXHAUSTED, board.run(1000).cause());
    }

    @Test
    void conditionIsLookedAtOnItsCadenceCountedFromTheRunsStart() {
        boot(board, ADD_X0_1, B_MINUS_4);
        board.run(7);
        Stop s = board.run(RunUntil.budget(1_000_000).when("x0 reached 100", () -> board.x(0) >= 100).checkEvery(50));
        assertEquals(StopCause.CONDITION_HELD, s.cause());
        assertEquals("x0 reached 100", s.condition());
        assertEquals(7 + 200, s.instructions(), "x0 = 100 after 200 instructions: a cadence point");
        assertEquals(StopCause.CONDITION_HELD, board.run(RunUntil.budget(10).when("held", () -> true)).cause());
        assertEquals(7 + 200, board.clock().instructions(), "a condition that holds already runs nothing");
    }

    @Test
    void guardChargesEveryRunAndEndsThemWhenItsAllowanceRunsOut() {
        boot(board, ADD_X0_1, B_MINUS_4);
        long[] left = {250};
        List<Stop> exhausted = new ArrayList<>();
        board.guard(new RunGuard() {
            @Override
            public long allowance() {
                return left[0];
            }

            @Override
            public void retired(long instructions) {
                left[0] -= instructions;
            }

            @Override
            public void exhausted(Stop stop) {
                exhausted.add(stop);
                throw new IllegalStateException("out of budget");
            }
        });
        assertEquals(StopCause.BUDGET_EXHAUSTED, board.run(100).cause());
        assertTrue(exhausted.isEmpty(), "the run's own budget is not the guard's");
        assertThrows(IllegalStateException.class, () -> board.run(RunUntil.unbounded().when("never", () -> false)));
        assertEquals(1, exhausted.size());
        assertEquals(250, exhausted.getFirst().instructions());
        assertEquals(0, left[0]);
    }

    @Test
    void runsDoNotNest() {
        boot(board, ADD_X0_1, B_MINUS_4);
        board.events().schedule(10, "nested", t -> board.run(10));
        assertThrows(IllegalStateException.class, () -> board.run(100));
    }

    @Test
    void unknownSymbolIsBadInputNamingIt() {
        boot(board, ADD_X0_1, B_MINUS_4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> board.run(RunUntil.budget(10).at("no_such_function")));
        assertTrue(e.getMessage().contains("no_such_function"), e.getMessage());
    }
}
