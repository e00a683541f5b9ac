package dev.wirelab.emulator.device;

/**
 * One interrupt wire from a device into the interrupt controller. Level
 * semantics: the device holds the line high while its interrupt condition is
 * true. Edge-triggered sources call {@link #pulse()}.
 */
public interface IrqLine {
    void set(boolean level);

    default void pulse() {
        set(true);
        set(false);
    }

    /** A line that goes nowhere (for devices the board leaves unwired). */
    IrqLine NONE = level -> { };
}
