package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The guest's UART on the user's terminal, as QEMU's {@code -nographic}: keys go to the guest as
 * they are typed, Ctrl-A X quits, Ctrl-A Ctrl-A types a Ctrl-A (Ctrl-C stops the run, as without a
 * terminal). The guest runs in
 * short slices and typed bytes enter between slices, so an interactive run is not repeatable
 * (what the user typed, and when, is not recorded); scripted input is what repeats.
 */
final class InteractiveConsole {
    static final int CTRL_A = 0x01;
    /** Instructions between looks at the keyboard (a few milliseconds of host time). */
    static final long SLICE = 2_000_000;

    /** Why the interactive run ended, besides the guest's own stops. */
    record Result(Stop stop, boolean quit) { }

    /** Put on the queue when the keyboard ends. */
    private static final int END = -1;

    private final BlockingQueue<Integer> keys = new LinkedBlockingQueue<>();
    private boolean escape;
    private boolean ended;
    private Integer pending;

    /** Reads {@code in} on a daemon thread until it ends (the terminal in raw mode, or a test's pipe). */
    InteractiveConsole(InputStream in) {
        Thread t = Thread.ofPlatform().daemon().name("wirelab-keyboard").unstarted(() -> {
            try {
                int b;
                while ((b = in.read()) >= 0) {
                    keys.add(b);
                }
            } catch (IOException e) {
                // the terminal went away: no more keys
            }
            keys.add(END);
        });
        t.start();
    }

    /**
     * Runs the guest until it ends itself, the budget runs out, or the user quits. A guest idle
     * for want of input waits for the next key instead of ending the run.
     */
    Result run(Board board, long budget) {
        long end = board.clock().instructions() + budget;
        while (true) {
            boolean quit = drain(board);
            if (quit) {
                return new Result(board.run(0), true);
            }
            long left = end - board.clock().instructions();
            Stop s = board.run(RunUntil.budget(Math.min(SLICE, Math.max(0, left))));
            boolean sliceDone = s.cause() == StopCause.BUDGET_EXHAUSTED && left > SLICE;
            if (s.cause() == StopCause.IDLE_FOREVER) {
                if (awaitKey()) {
                    continue;
                }
                return new Result(s, false);
            }
            if (!sliceDone) {
                return new Result(s, false);
            }
        }
    }

    /** Hands typed bytes to the UART; true when the user typed Ctrl-A X. */
    private boolean drain(Board board) {
        ByteArrayOutputStream typed = new ByteArrayOutputStream();
        Integer k = pending;
        pending = null;
        boolean quit = false;
        if (k != null) {
            quit = key(k, typed);
        }
        while (!quit && (k = keys.poll()) != null) {
            if (k == END) {
                ended = true;
            } else {
                quit = key(k, typed);
            }
        }
        if (typed.size() > 0) {
            board.console().input(typed.toByteArray());
        }
        return quit;
    }

    /** QEMU's mux escapes: Ctrl-A X quits, Ctrl-A Ctrl-A is a literal Ctrl-A, Ctrl-A anything else is dropped. */
    boolean key(int b, ByteArrayOutputStream typed) {
        if (escape) {
            escape = false;
            if (b == 'x' || b == 'X') {
                return true;
            }
            if (b == CTRL_A) {
                typed.write(CTRL_A);
            }
            return false;
        }
        if (b == CTRL_A) {
            escape = true;
            return false;
        }
        typed.write(b);
        return false;
    }

    /** Blocks until a key arrives (true: it is handed over at the next drain) or the keyboard has ended (false). */
    private boolean awaitKey() {
        if (ended) {
            return false;
        }
        try {
            Integer k = keys.take();
            if (k == END) {
                ended = true;
                return false;
            }
            pending = k; // handed over first at the next drain
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
