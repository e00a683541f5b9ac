package dev.wirelab.emulator.board;

import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A component whose state a whole-machine snapshot must carry (devices added
 * after the board was built, the wire, the agent host, the lab's peer). Each
 * declares its own immutable state type {@code S}; the snapshot keeps every
 * state with the component it came from, so a restore needs no casts.
 *
 * @param <S> the component's state record
 */
public interface Snapshottable<S> {
    S saveState();

    void restoreState(S state);

    /** A component given as its save and restore methods: {@code Snapshottable.of(this::save, this::restore)}. */
    static <S> Snapshottable<S> of(Supplier<S> save, Consumer<S> restore) {
        Objects.requireNonNull(save, "save");
        Objects.requireNonNull(restore, "restore");
        return new Snapshottable<>() {
            @Override
            public S saveState() {
                return save.get();
            }

            @Override
            public void restoreState(S state) {
                restore.accept(state);
            }
        };
    }

    /** One component's state in a snapshot, kept with the component that saved it. */
    record Saved<S>(Snapshottable<S> owner, S state) {
        static <S> Saved<S> of(Snapshottable<S> owner) {
            return new Saved<>(owner, owner.saveState());
        }

        void restore() {
            owner.restoreState(state);
        }
    }
}
