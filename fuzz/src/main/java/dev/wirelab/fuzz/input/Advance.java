package dev.wirelab.fuzz.input;

/** Let virtual time pass: the guest runs (and idles) for {@code micros} microseconds of virtual time. */
public record Advance(long micros) implements Action {
    public Advance {
        Limits.check("advance", micros, 0, Limits.MAX_ADVANCE_MICROS);
    }
}
