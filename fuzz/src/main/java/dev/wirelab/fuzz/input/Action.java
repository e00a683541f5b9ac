package dev.wirelab.fuzz.input;

/**
 * One step of a fuzz execution. Sequence numbers inside actions are relative to the live
 * connection ({@link Rel}), so the same input means the same thing whatever ISN the guest chose.
 */
public sealed interface Action
        permits Segment, AppRead, AppWrite, AppClose, AppShutdown, Tick, Advance, Connect {
}
