package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.RunGuard;
import dev.wirelab.emulator.board.Stop;

/**
 * The lab's hold on every run of its board, whoever starts it (a verb, a wire or
 * TCP wait, a syscall, a replay): runs are charged to the script's instruction
 * budget, and running out of it or Ctrl-C ends the script with a {@link LabFailure}.
 */
final class LabGuard implements RunGuard {
    private final Lab lab;
    private final Board board;

    LabGuard(Lab lab, Board board) {
        this.lab = lab;
        this.board = board;
    }

    @Override
    public long allowance() {
        return lab.getBudget();
    }

    @Override
    public void retired(long instructions) {
        lab.charge(instructions);
    }

    @Override
    public void exhausted(Stop stop) {
        throw new LabFailure(LabFailure.Kind.BUDGET_EXHAUSTED, "instruction budget exhausted ("
                + String.format("%,d", lab.getSpent()) + " instructions) at " + board.describe(stop.pc()));
    }

    @Override
    public void interrupted(Stop stop) {
        lab.interruptTaken();
        Thread.interrupted(); // used up: the shell goes on with the next input
        throw new LabFailure(LabFailure.Kind.INTERRUPTED, "interrupted at " + board.describe(stop.pc()) + " after "
                + String.format("%,d", stop.instructions()) + " instructions");
    }
}
