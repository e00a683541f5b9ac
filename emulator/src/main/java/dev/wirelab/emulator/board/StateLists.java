package dev.wirelab.emulator.board;

import java.util.List;

/**
 * Restoring a mutable list to a snapshot's immutable copy without rebuilding it. Logs that
 * grow between snapshot and restore (frames seen, traced calls) still hold most of the
 * snapshot's elements in place, a call completed since changes one entry: cutting off the
 * tail and putting back the entries that differ is then the whole restore, and a snapshot
 * restored thousands of times (fuzzing) allocates nothing here.
 */
public final class StateLists {
    private StateLists() {
    }

    /**
     * Makes {@code live} hold exactly {@code saved}'s elements (the same objects, in order),
     * however {@code live} changed since: every position is checked by identity.
     */
    public static <T> void restore(List<T> live, List<? extends T> saved) {
        int n = saved.size();
        if (live.size() > n) {
            live.subList(n, live.size()).clear();
        }
        int kept = live.size();
        for (int i = 0; i < kept; i++) {
            T s = saved.get(i);
            if (live.get(i) != s) {
                live.set(i, s);
            }
        }
        for (int i = kept; i < n; i++) {
            live.add(saved.get(i));
        }
    }
}
