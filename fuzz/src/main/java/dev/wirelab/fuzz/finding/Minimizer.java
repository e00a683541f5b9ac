package dev.wirelab.fuzz.finding;

import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.oracle.Finding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Shrinks a failing input by its typed structure, keeping a candidate only when it fails with the
 * same title: first drop actions (halves, then single actions, from the end), then shorten each
 * segment's payload. Every step is a re-run in the emulator, so the result is deterministic and
 * bounded by {@code maxRuns}.
 */
public final class Minimizer {
    private final Function<FuzzInput, Optional<Finding>> run;
    private final int maxRuns;
    private int runs;

    /** {@code run} executes one input and returns the oracles' verdict. */
    public Minimizer(Function<FuzzInput, Optional<Finding>> run, int maxRuns) {
        this.run = run;
        this.maxRuns = maxRuns;
    }

    /** Executions spent by the last {@link #minimize}. */
    public int runs() {
        return runs;
    }

    public FuzzInput minimize(FuzzInput input, String title) {
        runs = 0;
        FuzzInput best = input;
        boolean changed = true;
        while (changed && runs < maxRuns) {
            changed = false;
            for (int chunk = Math.max(1, best.actions().size() / 2); chunk >= 1 && runs < maxRuns; chunk /= 2) {
                for (int end = best.actions().size(); end - chunk >= 0 && runs < maxRuns; ) {
                    List<Action> l = new ArrayList<>(best.actions());
                    l.subList(end - chunk, end).clear();
                    FuzzInput c = new FuzzInput(best.target(), l);
                    if (same(c, title)) {
                        best = c;
                        changed = true;
                        end = Math.min(end - chunk, best.actions().size());
                    } else {
                        end--;
                    }
                }
            }
        }
        for (int i = 0; i < best.actions().size() && runs < maxRuns; i++) {
            if (best.actions().get(i) instanceof Segment s && s.payload().length() > 0) {
                best = shrinkPayload(best, i, s, title);
            }
        }
        return best;
    }

    /** Shortest payload length (by halving, then zero) that still fails the same way. */
    private FuzzInput shrinkPayload(FuzzInput in, int i, Segment s, String title) {
        FuzzInput best = in;
        int len = s.payload().length();
        for (int candidate : new int[] {0, len / 2, len / 4, len - 1}) {
            if (candidate >= len || candidate < 0 || runs >= maxRuns) {
                continue;
            }
            FuzzInput c = withPayload(in, i, s, candidate);
            if (same(c, title)) {
                best = c;
                break;
            }
        }
        return best;
    }

    private static FuzzInput withPayload(FuzzInput in, int i, Segment s, int len) {
        byte[] pattern = s.payload().pattern();
        Payload p = new Payload(len, Arrays.copyOf(pattern, Math.min(pattern.length, len)));
        List<Action> l = new ArrayList<>(in.actions());
        l.set(i, s.withPayload(p));
        return new FuzzInput(in.target(), l);
    }

    private boolean same(FuzzInput c, String title) {
        runs++;
        Optional<Finding> f = run.apply(c);
        return f.isPresent() && f.get().title().equals(title);
    }
}
