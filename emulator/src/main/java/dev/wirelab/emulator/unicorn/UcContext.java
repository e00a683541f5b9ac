package dev.wirelab.emulator.unicorn;

import java.lang.foreign.MemorySegment;

/**
 * A saved CPU context (registers including system registers; not memory).
 * Owned by the {@link Unicorn} that allocated it and freed with it.
 */
public final class UcContext implements AutoCloseable {
    private final Unicorn owner;
    MemorySegment ptr;

    UcContext(Unicorn owner, MemorySegment ptr) {
        this.owner = owner;
        this.ptr = ptr;
    }

    Unicorn owner() {
        return owner;
    }

    MemorySegment pointer() {
        if (ptr == null) {
            throw new IllegalStateException("context already freed");
        }
        return ptr;
    }

    @Override
    public void close() {
        if (ptr != null) {
            owner.freeContext(this);
            ptr = null;
        }
    }
}
