package dev.wirelab.emulator.board;

import java.util.List;

/**
 * Restoring a mutable list to a snapshot's immutable copy without rebuilding it. Logs that
 * only grow between snapshot and restore (frames seen, traced calls) still hold the
 * snapshot's elements as a prefix: cutting off the tail is then the whole restore, and a
 * snapshot restored thousands of times (fuzzing) allocates nothing here.
 */
public final class StateLists {
    private StateLists() {
    }

    /**
     * Makes {@code live} hold exactly {@code saved}'s elements (the same objects, in order):
     * cuts it back when it starts with them, else refills it. The prefix is checked element by
     * element by identity, so the result is right however {@code live} changed since.
     */
    public static <T> void restore(List<T> live, List<? extends T> saved) {
        int n = saved.size();
        if (live.size() >= n && samePrefix(live, saved, n)) {
            if (live.size() > n) {
                live.subList(n, live.size()).clear();
            }
            return;
        }
        live.clear();
        live.addAll(saved);
    }

    private static <T> boolean samePrefix(List<T> live, List<? extends T> saved, int n) {
        for (int i = 0; i < n; i++) {
            if (live.get(i) != saved.get(i)) {
                return false;
            }
        }
        return true;
    }
}
