package dev.wirelab.emulator.board;

/**
 * The outcome of {@link Board#run}: why it stopped, and where the clock stood.
 *
 * @param exit         why the run ended; null when it merely reached its instruction or time limit while still running
 * @param instructions retired instructions since reset
 * @param ticks        virtual counter ticks since reset (instructions + idle fast-forward)
 */
public record RunResult(ExitStatus exit, long instructions, long ticks) {
    public boolean exited() {
        return exit != null && exit.guestExited();
    }
}
