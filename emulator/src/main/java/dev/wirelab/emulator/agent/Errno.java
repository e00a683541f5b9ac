package dev.wirelab.emulator.agent;

import java.util.HashMap;
import java.util.Map;

/** Linux errno values (the AArch64 ABI the default guest follows: guest/kernel/errno.h). */
public enum Errno {
    EPERM(1), ENOENT(2), EINTR(4), EIO(5), EBADF(9), EAGAIN(11), ENOMEM(12), EFAULT(14), EINVAL(22),
    ENFILE(23), EMFILE(24), EPIPE(32), ENOSYS(38), ENOTSOCK(88), EDESTADDRREQ(89), EMSGSIZE(90),
    EPROTOTYPE(91), ENOPROTOOPT(92), EPROTONOSUPPORT(93), EOPNOTSUPP(95), EAFNOSUPPORT(97),
    EADDRINUSE(98), EADDRNOTAVAIL(99), ENETUNREACH(101), ECONNABORTED(103), ECONNRESET(104),
    ENOBUFS(105), EISCONN(106), ENOTCONN(107), ETIMEDOUT(110), ECONNREFUSED(111), EHOSTUNREACH(113),
    EALREADY(114), EINPROGRESS(115);

    /** Linux returns -1 .. -4095 for errors; anything else is a value. */
    public static final int MAX_ERRNO = 4095;

    private static final Map<Integer, Errno> BY_NUMBER = new HashMap<>();

    static {
        for (Errno e : values()) {
            BY_NUMBER.put(e.number, e);
        }
    }

    public final int number;

    Errno(int number) {
        this.number = number;
    }

    /** The raw syscall return value for this error ({@code -number}). */
    public long negative() {
        return -number;
    }

    /** The errno a raw return value carries, or null when it is not an error or not in this table. */
    public static Errno ofResult(long result) {
        return isError(result) ? BY_NUMBER.get((int) -result) : null;
    }

    public static boolean isError(long result) {
        return result < 0 && result >= -MAX_ERRNO;
    }

    /** "ECONNREFUSED", or "errno 77" for numbers outside the table; null when {@code result} is not an error. */
    public static String nameOf(long result) {
        if (!isError(result)) {
            return null;
        }
        Errno e = ofResult(result);
        return e != null ? e.name() : "errno " + -result;
    }
}
