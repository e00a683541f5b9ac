package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reverse execution against the board directly, with a small checkpoint interval so every move
 * crosses checkpoints: each point reached backwards or forwards is the point that was reached live
 * (all 68 registers, instruction count, virtual time, trace hash), through timer interrupts and WFI.
 */
class BoardTargetHistoryTest {
    private Board board;
    private BoardTarget target;
    private long excHandler;
    private long ticksVar;

    record State(long insns, long ticks, String regs, String hash) { }

    @BeforeEach
    void boot() throws Exception {
        board = TestGuests.board("timer_irq.elf");
        excHandler = board.symbols().address("exc_handler").orElseThrow();
        ticksVar = board.symbols().address("ticks").orElseThrow();
        target = new BoardTarget(board, 3_000, 1000);
    }

    @AfterEach
    void close() {
        target.close();
        board.close();
    }

    private State state() {
        StringBuilder r = new StringBuilder();
        for (int n = 0; n < TargetDescription.COUNT; n++) {
            r.append(HexFormat.of().formatHex(target.readRegister(n))).append(' ');
        }
        return new State(board.clock().instructions(), board.clock().ticks(), r.toString(), board.trace().hex());
    }

    private int ticks() {
        byte[] b = target.readMemory(ticksVar, 4);
        return (b[0] & 0xff) | (b[1] & 0xff) << 8;
    }

    @Test
    void everyBreakpointHitComesBackIdenticalBothWays() {
        target.insert(new GdbTarget.StopPoint(GdbTarget.StopPoint.Kind.SOFTWARE, excHandler, 4));
        List<State> hits = new ArrayList<>();
        List<State> afterSteps = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            assertEquals(StopEvent.Kind.BREAKPOINT, target.resume(GdbTarget.Resume.CONTINUE).kind());
            hits.add(state());
            for (int k = 0; k < 3; k++) {
                assertEquals(StopEvent.Kind.STEPPED, target.resume(GdbTarget.Resume.STEP).kind());
            }
            afterSteps.add(state());
        }
        assertEquals(excHandler, board.pc() - 12);
        // Backwards: each earlier hit, exactly; then the beginning of history.
        for (int i = 3; i >= 0; i--) {
            assertEquals(StopEvent.Kind.BREAKPOINT, target.resume(GdbTarget.Resume.REVERSE_CONTINUE).kind());
            assertEquals(hits.get(i), state(), "hit " + i + " reached backwards");
        }
        assertEquals(StopEvent.Kind.HISTORY_BEGIN, target.resume(GdbTarget.Resume.REVERSE_CONTINUE).kind());
        assertEquals(0, board.clock().instructions());
        // Forwards through the recorded past: the same hits, and the same states after the steps.
        for (int i = 0; i < 4; i++) {
            assertEquals(StopEvent.Kind.BREAKPOINT, target.resume(GdbTarget.Resume.CONTINUE).kind());
            assertEquals(hits.get(i), state(), "hit " + i + " reached forwards in the past");
            for (int k = 0; k < 3; k++) {
                target.resume(GdbTarget.Resume.STEP);
            }
            assertEquals(afterSteps.get(i), state(), "steps after hit " + i);
        }
        // And live again past the end of history.
        assertEquals(StopEvent.Kind.BREAKPOINT, target.resume(GdbTarget.Resume.CONTINUE).kind());
        assertTrue(board.clock().instructions() > afterSteps.get(3).insns());
    }

    @Test
    void reverseStepThenStepIsTheIdentity() {
        target.insert(new GdbTarget.StopPoint(GdbTarget.StopPoint.Kind.HARDWARE, excHandler, 4));
        target.resume(GdbTarget.Resume.CONTINUE);
        target.resume(GdbTarget.Resume.CONTINUE);
        target.remove(new GdbTarget.StopPoint(GdbTarget.StopPoint.Kind.HARDWARE, excHandler, 4));
        State at = state();
        List<State> back = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            assertEquals(StopEvent.Kind.STEPPED, target.resume(GdbTarget.Resume.REVERSE_STEP).kind());
            back.add(state());
        }
        assertEquals(at.insns() - 250, board.clock().instructions());
        for (int i = 248; i >= 0; i--) {
            target.resume(GdbTarget.Resume.STEP);
            assertEquals(back.get(i), state(), "forward to " + i);
        }
        target.resume(GdbTarget.Resume.STEP);
        assertEquals(at, state());
    }

    @Test
    void watchpointsStopBeforeTheAccessBothWays() {
        var watch = new GdbTarget.StopPoint(GdbTarget.StopPoint.Kind.WRITE, ticksVar, 4);
        target.insert(watch);
        StopEvent first = target.resume(GdbTarget.Resume.CONTINUE);
        assertEquals(StopEvent.Kind.WATCH_WRITE, first.kind());
        assertEquals(ticksVar, first.address());
        assertEquals(0, ticks()); // before the store, as QEMU's stub reports it; GDB steps over it
        long storePc = board.pc();
        State a = state();
        target.remove(watch);
        target.resume(GdbTarget.Resume.STEP);
        assertEquals(1, ticks());
        assertEquals(storePc + 4, board.pc());
        target.insert(watch);
        assertEquals(StopEvent.Kind.WATCH_WRITE, target.resume(GdbTarget.Resume.CONTINUE).kind());
        assertEquals(1, ticks());
        assertEquals(storePc, board.pc());
        State b = state();
        assertNotEquals(a, b);
        assertEquals(StopEvent.Kind.WATCH_WRITE, target.resume(GdbTarget.Resume.REVERSE_CONTINUE).kind());
        assertEquals(a, state());
        assertEquals(StopEvent.Kind.WATCH_WRITE, target.resume(GdbTarget.Resume.CONTINUE).kind());
        assertEquals(b, state());
    }
}
