package dev.wirelab.fuzz.exec;

import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.lab.FrameEvent;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.Stop;
import dev.wirelab.fuzz.input.FuzzInput;
import java.util.List;

/**
 * What one execution did, for the oracles: everything is measured from the snapshot the execution
 * started at.
 *
 * @param input        the actions performed
 * @param console      console output printed during the execution
 * @param frames       frames on the wire during the execution (both directions)
 * @param instructions guest instructions retired
 * @param ticks        virtual time elapsed (counter ticks)
 * @param ended        the guest ended the run (exit, fault, idle forever) or reached the panic symbol, or null
 * @param budgetOut    the execution's instruction budget ran out (the guest never went quiet), or null
 * @param quiet        the quiet window at the end (no input): how busy and how talkative the guest was
 * @param notes        app calls that did not complete, and similar things worth showing but not findings
 */
public record Execution(FuzzInput input, String console, List<FrameEvent> frames, long instructions, long ticks,
                        Stop ended, String budgetOut, Quiet quiet, List<String> notes) {
    public Execution {
        frames = List.copyOf(frames);
        notes = List.copyOf(notes);
    }

    /**
     * The quiet window: after the last action, the guest runs {@code ticks} of virtual time with no
     * input. An idle guest retires few instructions (idle skips ahead); a spinning one retires about
     * one per tick.
     */
    public record Quiet(long ticks, long instructions, int framesOut) {
        public static final Quiet NONE = new Quiet(0, 0, 0);

        /** Fraction of the window the CPU was busy. */
        public double busy() {
            return ticks == 0 ? 0 : (double) instructions / ticks;
        }
    }

    public static String formatTicks(long ticks) {
        return Lab.formatTime(ticks);
    }

    static boolean guestEnded(Stop s) {
        return s != null && (s.ended() || s.cause() == StopCause.BREAKPOINT);
    }

}
