package dev.wirelab.emulator.cpu;

/**
 * A device that owns some system registers (the generic timer, the GICv3 CPU
 * interface). The board traps every MRS/MSR to a register it has a handler for
 * and calls {@link #read}/{@link #write} at an exact instruction boundary.
 */
public interface SysRegHandler {
    /** Whether this handler serves the register (checked once per register, then cached). */
    boolean handles(SysRegId reg);

    long read(SysRegId reg);

    void write(SysRegId reg, long value);
}
