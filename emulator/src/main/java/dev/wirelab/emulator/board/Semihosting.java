package dev.wirelab.emulator.board;

import dev.wirelab.emulator.device.Console;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.time.VirtualClock;

/**
 * Arm semihosting ({@code hlt #0xf000}): w0 = operation, x1 = parameter (a
 * guest virtual address for most operations), result in x0. Only operations
 * that keep the run deterministic: time comes from the virtual clock, and
 * nothing touches the host file system.
 */
final class Semihosting {
    static final int SYS_WRITEC = 0x03;
    static final int SYS_WRITE0 = 0x04;
    static final int SYS_READC = 0x07;
    static final int SYS_CLOCK = 0x10;
    static final int SYS_TIME = 0x11;
    static final int SYS_ERRNO = 0x13;
    static final int SYS_EXIT = 0x18;
    static final int SYS_EXIT_EXTENDED = 0x20;
    static final int SYS_ELAPSED = 0x30;
    static final int SYS_TICKFREQ = 0x31;

    static final long ADP_STOPPED_APPLICATION_EXIT = 0x20026;
    private static final int MAX_STRING = 1 << 16;

    /** Guest virtual memory as the semihosting call sees it. */
    interface GuestMemory {
        byte[] read(long address, int length);

        void write(long address, byte[] data);
    }

    sealed interface Outcome permits Result, Exit { }

    record Result(long x0) implements Outcome { }

    record Exit(ExitStatus status) implements Outcome { }

    private final Console console;
    private final VirtualClock clock;
    private final long epoch;
    private final GuestLog log;

    Semihosting(Console console, VirtualClock clock, long epoch, GuestLog log) {
        this.console = console;
        this.clock = clock;
        this.epoch = epoch;
        this.log = log;
    }

    Outcome call(int op, long x1, GuestMemory mem) {
        switch (op) {
            case SYS_WRITEC -> {
                console.write(mem.read(x1, 1)[0] & 0xff);
                return new Result(0);
            }
            case SYS_WRITE0 -> {
                for (int i = 0; i < MAX_STRING; i++) {
                    int b = mem.read(x1 + i, 1)[0] & 0xff;
                    if (b == 0) {
                        break;
                    }
                    console.write(b);
                }
                return new Result(0);
            }
            case SYS_READC -> {
                int b = console.takeInput();
                return new Result(b < 0 ? 0x04 /* EOT */ : b);
            }
            case SYS_CLOCK -> {
                return new Result(clock.nanos() / 10_000_000L);
            }
            case SYS_TIME -> {
                return new Result(epoch + clock.nanos() / 1_000_000_000L);
            }
            case SYS_ELAPSED -> {
                byte[] ticks = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                        .putLong(clock.ticks()).array();
                mem.write(x1, ticks);
                return new Result(0);
            }
            case SYS_TICKFREQ -> {
                return new Result(VirtualClock.FREQUENCY_HZ);
            }
            case SYS_ERRNO -> {
                return new Result(0);
            }
            case SYS_EXIT, SYS_EXIT_EXTENDED -> {
                // AArch64: x1 points at {reason, subcode}; the subcode is the exit status only for ApplicationExit.
                byte[] block = mem.read(x1, 16);
                long reason = java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(0);
                long subcode = java.nio.ByteBuffer.wrap(block).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(8);
                int code = reason == ADP_STOPPED_APPLICATION_EXIT ? (int) subcode : 1;
                return new Exit(new ExitStatus(ExitStatus.Kind.SEMIHOSTING_EXIT, code,
                        "semihosting exit, reason 0x" + Long.toHexString(reason) + ", code " + code));
            }
            default -> {
                log.error("semihosting", "unsupported operation 0x" + Integer.toHexString(op));
                return new Result(-1);
            }
        }
    }
}
