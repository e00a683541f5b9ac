package dev.wirelab.emulator.device;

/**
 * A memory-mapped device on the board. The board maps {@link #size()} bytes at
 * {@link #base()} and forwards every guest access here; offsets are relative to
 * the base. Guest mistakes (bad offsets, bad widths, bad values) are reported
 * through {@link GuestLog} and otherwise ignored, as hardware would: a device
 * never throws because the guest misbehaved.
 */
public interface MmioDevice {
    /** Short name used in logs, the device tree and snapshots ("pl011", "gicv3"). */
    String name();

    long base();

    long size();

    /** A guest read of {@code size} bytes (1, 2, 4 or 8) at {@code offset}. */
    long read(long offset, int size);

    /** A guest write of {@code size} bytes (1, 2, 4 or 8) at {@code offset}. */
    void write(long offset, int size, long value);

    /** Back to power-on state. */
    void reset();
}
