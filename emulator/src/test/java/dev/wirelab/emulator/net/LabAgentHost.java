package dev.wirelab.emulator.net;

import dev.wirelab.emulator.board.Board;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A minimal lab-call host (guest/README "Lab-call protocol", version 1) for agent 0:
 * hands out queued syscalls and records their results, so a test can make the
 * guest open connections to the host. Not snapshottable: install it before boot
 * and use it in one timeline.
 */
final class LabAgentHost implements Board.SvcInterceptor {
    static final int LAB_CALL = 0x574c;
    static final int HELLO = 1, GET_WORK = 2, REPORT = 3;

    /** A syscall whose arguments may depend on earlier results; {@code input} bytes go to the buffer at offset 0.. */
    record Call(int nr, Function<List<Long>, long[]> args, int inputOffset, byte[] input) { }

    private final ArrayDeque<Call> calls = new ArrayDeque<>();
    final List<Long> results = new ArrayList<>();
    long buffer = -1;

    void queue(int nr, Function<List<Long>, long[]> args) {
        calls.add(new Call(nr, args, 0, null));
    }

    void queue(int nr, Function<List<Long>, long[]> args, int inputOffset, byte[] input) {
        calls.add(new Call(nr, args, inputOffset, input));
    }

    @Override
    public boolean onSvc(Board b, int imm16, long pcAfter) {
        if (imm16 != LAB_CALL) {
            return false;
        }
        int op = (int) b.x(0);
        int id = (int) b.x(1);
        if (id != 0) {
            b.setX(0, op == HELLO ? -1 : 0); // only agent 0 works for us; agent 1 is refused and exits
            if (op == GET_WORK) {
                b.setX(0, 2);
                b.setX(1, 0);
            }
            return true;
        }
        switch (op) {
            case HELLO -> {
                buffer = b.x(2);
                b.setX(0, 0);
            }
            case GET_WORK -> {
                Call c = calls.poll();
                if (c == null) {
                    b.setX(0, 0);
                    b.setX(1, 1_000_000); // idle 1 ms
                    return true;
                }
                if (c.input() != null) {
                    b.writeVirtual(buffer + c.inputOffset(), c.input());
                }
                long[] a = c.args().apply(results);
                b.setX(0, 1);
                b.setX(1, c.nr());
                for (int i = 0; i < 6; i++) {
                    b.setX(2 + i, i < a.length ? a[i] : 0);
                }
            }
            case REPORT -> {
                results.add(b.x(3));
                b.setX(0, 0);
            }
            default -> b.setX(0, -22);
        }
        return true;
    }
}
