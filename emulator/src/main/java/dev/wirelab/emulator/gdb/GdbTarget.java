package dev.wirelab.emulator.gdb;

/**
 * What the GDB stub needs from a machine, and nothing more: registers by GDB
 * number, memory, break/watchpoints, resuming in either direction, and an
 * asynchronous interrupt. {@link BoardTarget} is the one implementation; a
 * test can supply another.
 */
public interface GdbTarget {
    /** Little-endian bytes of GDB register {@code n} ({@link TargetDescription#size} long). */
    byte[] readRegister(int n);

    void writeRegister(int n, byte[] value);

    /** Reads guest memory; throws {@link MemoryFault} when any byte is not readable memory. */
    byte[] readMemory(long address, int length);

    void writeMemory(long address, byte[] data);

    /** Adds a stop point; returns false when this kind is not supported. */
    boolean insert(StopPoint point);

    boolean remove(StopPoint point);

    /** Runs the machine as asked and reports where and why it stopped. Blocks; {@link #interrupt} ends it. */
    StopEvent resume(Resume how);

    /** From any thread: a running {@link #resume} stops soon and reports {@link StopEvent.Kind#INTERRUPTED}. */
    void interrupt();

    /** Why the machine is stopped now (the {@code ?} packet). */
    StopEvent lastStop();

    enum Resume { STEP, CONTINUE, REVERSE_STEP, REVERSE_CONTINUE }

    /** A breakpoint or watchpoint as the Z/z packets name it. */
    record StopPoint(Kind kind, long address, int length) {
        public enum Kind {
            SOFTWARE, HARDWARE, WRITE, READ, ACCESS;

            public boolean isWatch() {
                return this == WRITE || this == READ || this == ACCESS;
            }
        }
    }

    /** Guest memory that cannot be read or written at {@code address}. */
    final class MemoryFault extends RuntimeException {
        public MemoryFault(String message) {
            super(message);
        }
    }
}
