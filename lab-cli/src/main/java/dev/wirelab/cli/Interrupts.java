package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C while a guest runs: the first SIGINT asks the board to stop at the
 * next instruction boundary (the run then ends with exit code 130 and a status
 * line naming where it stopped); a second one ends the process at once.
 * Closing restores the previous handler.
 */
abstract class Interrupts implements AutoCloseable {
    private volatile boolean fired;

    /** Whether Ctrl-C arrived while this was installed. */
    boolean fired() {
        return fired;
    }

    @Override
    public abstract void close();

    static Interrupts none() {
        return new Interrupts() {
            @Override
            public void close() { }
        };
    }

    static Interrupts stopOnCtrlC(Board board) {
        Signal sigint = new Signal("INT");
        SignalHandler[] previous = new SignalHandler[1];
        Interrupts installed = new Interrupts() {
            @Override
            public void close() {
                Signal.handle(sigint, previous[0]);
            }
        };
        previous[0] = Signal.handle(sigint, s -> {
            if (installed.fired) {
                Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
            }
            installed.fired = true;
            board.interrupt();
        });
        return installed;
    }
}
