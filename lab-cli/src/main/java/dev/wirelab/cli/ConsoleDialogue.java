package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code --expect TEXT --send TEXT} pairs: run until the guest prints the text, then type the
 * answer, so scripted input waits for its prompt instead of being queued before the first
 * instruction. An {@code --expect} without a {@code --send} just waits for the text.
 */
final class ConsoleDialogue {
    /** One step: wait for {@code expect} on the console, then queue {@code send} (may be empty). */
    record Step(String expect, byte[] send) { }

    /** How the dialogue ended: the last stop, and the step whose text never came (or -1). */
    record Result(Stop stop, int unmet) { }

    private final List<Step> steps;

    private ConsoleDialogue(List<Step> steps) {
        this.steps = List.copyOf(steps);
    }

    static ConsoleDialogue of(List<String> expects, List<String> sends) {
        List<String> e = expects == null ? List.of() : expects;
        List<String> s = sends == null ? List.of() : sends;
        if (s.size() > e.size()) {
            throw new UserError("--send '" + s.get(e.size()) + "' has no --expect before it: give --expect 'PROMPT'"
                    + " --send 'TEXT' pairs (or --input to queue bytes up front)");
        }
        List<Step> steps = new ArrayList<>();
        for (int i = 0; i < e.size(); i++) {
            if (e.get(i).isEmpty()) {
                throw new UserError("--expect '' waits for nothing: give the text the guest prints before the answer");
            }
            steps.add(new Step(e.get(i), i < s.size() ? ConsoleInput.parse(s.get(i)) : new byte[0]));
        }
        return new ConsoleDialogue(steps);
    }

    boolean isEmpty() {
        return steps.isEmpty();
    }

    /** Runs the steps in order within {@code budget} instructions, then the rest of the budget. */
    Result run(Board board, long budget) {
        long end = board.clock().instructions() + budget;
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            Stop s = board.run(RunUntil.budget(Math.max(0, end - board.clock().instructions())).printed(step.expect()));
            if (s.cause() != StopCause.CONSOLE_MATCH) {
                return new Result(s, i);
            }
            if (step.send().length > 0) {
                board.console().input(step.send());
            }
        }
        return new Result(board.run(Math.max(0, end - board.clock().instructions())), -1);
    }

    String expect(int step) {
        return steps.get(step).expect();
    }
}
