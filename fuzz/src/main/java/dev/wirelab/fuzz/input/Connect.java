package dev.wirelab.fuzz.input;

/**
 * Guest agent {@code agent} starts a non-blocking {@code connect} to the scripted peer's service
 * port; several in flight at once is how concurrent connects (port allocation races) are expressed.
 */
public record Connect(int agent) implements Action {
    public Connect {
        Limits.check("agent", agent, 0, Limits.AGENTS - 1);
    }
}
