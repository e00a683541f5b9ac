package dev.wirelab.fuzz.targets;

import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.oracle.Finding;

/** Thrown out of a fuzz target when an oracle flags an execution: Jazzer saves the input as a crash. */
public final class FuzzFindingException extends RuntimeException {
    private final transient Finding finding;
    private final transient FuzzInput input;

    public FuzzFindingException(Finding finding, FuzzInput input) {
        super(finding.title() + "\n" + finding.detail() + "\ninput: " + input, null, false, false);
        this.finding = finding;
        this.input = input;
    }

    public Finding finding() {
        return finding;
    }

    public FuzzInput input() {
        return input;
    }
}
