package dev.wirelab.fuzz.input;

import java.util.List;
import java.util.Objects;

/** One fuzz execution: the target it runs against and the actions it performs, in order. */
public record FuzzInput(StreamTarget target, List<Action> actions) {
    public FuzzInput {
        Objects.requireNonNull(target, "target");
        actions = List.copyOf(actions);
        for (Action a : actions) {
            if (!target.accepts(a)) {
                throw new IllegalArgumentException(target.id() + " does not accept " + a);
            }
        }
    }

    public static FuzzInput of(StreamTarget target, Action... actions) {
        return new FuzzInput(target, List.of(actions));
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(target.id()).append(':');
        for (Action a : actions) {
            sb.append("\n  ").append(a);
        }
        return sb.toString();
    }
}
