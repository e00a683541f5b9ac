package dev.wirelab.fuzz.input;

/**
 * A timer interrupt forced exactly {@code atInstructionOffset} guest instructions after the
 * previous action finished being delivered — so it can land inside the stack's processing of a
 * segment or inside a syscall thread's critical section.
 */
public record Tick(long atInstructionOffset) implements Action {
    public Tick {
        Limits.check("tick offset", atInstructionOffset, 0, Limits.MAX_TICK_OFFSET);
    }
}
