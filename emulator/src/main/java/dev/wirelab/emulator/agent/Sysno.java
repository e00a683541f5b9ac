package dev.wirelab.emulator.agent;

import java.util.HashMap;
import java.util.Map;

/**
 * Linux AArch64 syscall numbers the default guest implements (guest/README.md,
 * "Syscalls"): the one table of numbers; {@link Syscall} builds the calls.
 */
public enum Sysno {
    CLOSE(57), READ(63), WRITE(64), PPOLL(73), EXIT(93), EXIT_GROUP(94), NANOSLEEP(101), SCHED_YIELD(124),
    GETPID(172), SOCKET(198), BIND(200), LISTEN(201), ACCEPT(202), CONNECT(203), GETSOCKNAME(204),
    GETPEERNAME(205), SENDTO(206), RECVFROM(207), SETSOCKOPT(208), GETSOCKOPT(209), SHUTDOWN(210),
    ACCEPT4(242);

    private static final Map<Integer, Sysno> BY_NUMBER = new HashMap<>();

    static {
        for (Sysno s : values()) {
            BY_NUMBER.put(s.number, s);
        }
    }

    public final int number;

    Sysno(int number) {
        this.number = number;
    }

    /** The Linux name ("accept4"), or "syscall_N" for numbers outside the table. */
    public static String nameOf(int number) {
        Sysno s = BY_NUMBER.get(number);
        return s != null ? s.name().toLowerCase(java.util.Locale.ROOT) : "syscall_" + number;
    }

    public static Sysno of(int number) {
        return BY_NUMBER.get(number);
    }
}
