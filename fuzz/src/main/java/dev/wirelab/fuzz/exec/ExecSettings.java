package dev.wirelab.fuzz.exec;

/**
 * Per-execution bounds, all in guest terms (instructions, virtual time) — never the host clock.
 *
 * @param settleMicros        virtual time the guest gets after each segment or tick to react
 * @param appCallMicros       virtual time an application call may take (an idle agent wakes at the next 10 ms tick)
 * @param drainMicros         virtual time after the last action, before the quiet window
 * @param quietMicros         the quiet window the hang and liveness oracles look at
 * @param maxAdvanceMicros    total virtual time all Advance actions of one input may take
 * @param instructionBudget   instructions one execution may retire before it counts as a hang
 */
public record ExecSettings(long settleMicros, long appCallMicros, long drainMicros, long quietMicros,
                           long maxAdvanceMicros, long instructionBudget) {
    public static ExecSettings defaults() {
        return new ExecSettings(200, 25_000, 10_000, 20_000, 600_000, 40_000_000);
    }
}
