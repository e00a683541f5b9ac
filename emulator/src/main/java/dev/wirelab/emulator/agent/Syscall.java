package dev.wirelab.emulator.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.StringJoiner;

/**
 * One Linux syscall for an agent to issue: its number and up to six
 * arguments. An argument is a plain value or a region of the agent's buffer:
 * the host lays the regions out in the buffer, writes their input bytes
 * before handing the call out, passes their addresses as the arguments, and
 * reads output regions back when the agent reports (guest/README.md,
 * "Lab-call protocol").
 *
 * <p>The static factories are the one place that knows each call's argument
 * shape ({@code accept} takes a sockaddr out-region and an in/out length...).
 */
public record Syscall(int number, List<Arg> args) {
    public static final int MAX_ARGS = 6;

    /** One argument register. */
    public sealed interface Arg permits Value, In, Out, InOut { }

    /** A plain value, passed as is. */
    public record Value(long value) implements Arg { }

    /** Bytes the host writes into the buffer; the argument is their address. */
    public record In(byte[] data) implements Arg {
        public In {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof In i && Arrays.equals(data, i.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "<in " + data.length + " bytes>";
        }
    }

    /**
     * Space the guest fills; read back on REPORT. With {@code sizedByResult}
     * only the first {@code result} bytes are read (recv: the bytes received).
     */
    public record Out(int length, boolean sizedByResult) implements Arg {
        public Out {
            if (length < 0) {
                throw new IllegalArgumentException("negative output length " + length);
            }
        }

        @Override
        public String toString() {
            return "<out " + length + " bytes>";
        }
    }

    /** Bytes written before the call and read back after it (socklen_t, pollfd arrays). */
    public record InOut(byte[] data) implements Arg {
        public InOut {
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof InOut i && Arrays.equals(data, i.data);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "<inout " + data.length + " bytes>";
        }
    }

    public Syscall {
        if (args.size() > MAX_ARGS) {
            throw new IllegalArgumentException(Sysno.nameOf(number) + ": " + args.size() + " arguments, at most "
                    + MAX_ARGS);
        }
        args = List.copyOf(args);
    }

    /** A call with plain values only: {@code Syscall.of(172)} is getpid. */
    public static Syscall of(int number, long... values) {
        List<Arg> a = new ArrayList<>();
        for (long v : values) {
            a.add(new Value(v));
        }
        return new Syscall(number, a);
    }

    static Syscall of(Sysno nr, Object... args) {
        List<Arg> a = new ArrayList<>();
        for (Object o : args) {
            a.add(o instanceof Arg arg ? arg : new Value(((Number) o).longValue()));
        }
        return new Syscall(nr.number, a);
    }

    public String name() {
        return Sysno.nameOf(number);
    }

    /** Bytes the buffer regions need, each 16-byte aligned. */
    public int bufferBytes() {
        int n = 0;
        for (Arg a : args) {
            int len = regionLength(a);
            if (len >= 0) {
                n = align(n) + len;
            }
        }
        return n;
    }

    static int regionLength(Arg a) {
        return switch (a) {
            case Value v -> -1;
            case In i -> i.data.length;
            case Out o -> o.length;
            case InOut io -> io.data.length;
        };
    }

    static int align(int n) {
        return (n + 15) & ~15;
    }

    @Override
    public String toString() {
        StringJoiner j = new StringJoiner(", ", name() + "(", ")");
        for (Arg a : args) {
            j.add(a instanceof Value v ? Long.toString(v.value) : a.toString());
        }
        return j.toString();
    }

    // ---- one factory per call (numbers: Sysno) ---------------------------

    public static Syscall socket(int domain, int type, int protocol) {
        return of(Sysno.SOCKET, domain, type, protocol);
    }

    public static Syscall bind(int fd, SockAddr addr) {
        return of(Sysno.BIND, fd, new In(addr.encode()), SockAddr.SIZE);
    }

    public static Syscall listen(int fd, int backlog) {
        return of(Sysno.LISTEN, fd, backlog);
    }

    /** accept(fd, &addr, &addrlen): the peer address comes back as output 0. */
    public static Syscall accept(int fd) {
        return of(Sysno.ACCEPT, fd, new Out(SockAddr.SIZE, false), new InOut(le32(SockAddr.SIZE)));
    }

    public static Syscall accept4(int fd, int flags) {
        return of(Sysno.ACCEPT4, fd, new Out(SockAddr.SIZE, false), new InOut(le32(SockAddr.SIZE)), flags);
    }

    public static Syscall connect(int fd, SockAddr addr) {
        return of(Sysno.CONNECT, fd, new In(addr.encode()), SockAddr.SIZE);
    }

    public static Syscall getsockname(int fd) {
        return of(Sysno.GETSOCKNAME, fd, new Out(SockAddr.SIZE, false), new InOut(le32(SockAddr.SIZE)));
    }

    public static Syscall getpeername(int fd) {
        return of(Sysno.GETPEERNAME, fd, new Out(SockAddr.SIZE, false), new InOut(le32(SockAddr.SIZE)));
    }

    /** sendto(fd, data, len, flags, NULL, 0). */
    public static Syscall send(int fd, byte[] data, int flags) {
        return of(Sysno.SENDTO, fd, new In(data), data.length, flags, 0, 0);
    }

    /** sendto(fd, data, len, flags, &to, sizeof to) (UDP). */
    public static Syscall sendto(int fd, byte[] data, int flags, SockAddr to) {
        return of(Sysno.SENDTO, fd, new In(data), data.length, flags, new In(to.encode()), SockAddr.SIZE);
    }

    /** recvfrom(fd, buf, maxLen, flags, NULL, NULL): the bytes received come back as output 0. */
    public static Syscall recv(int fd, int maxLen, int flags) {
        return of(Sysno.RECVFROM, fd, new Out(maxLen, true), maxLen, flags, 0, 0);
    }

    /** recvfrom with the source address: output 0 the bytes, output 1 the sockaddr. */
    public static Syscall recvfrom(int fd, int maxLen, int flags) {
        return of(Sysno.RECVFROM, fd, new Out(maxLen, true), maxLen, flags, new Out(SockAddr.SIZE, false),
                new InOut(le32(SockAddr.SIZE)));
    }

    public static Syscall read(int fd, int maxLen) {
        return of(Sysno.READ, fd, new Out(maxLen, true), maxLen);
    }

    public static Syscall write(int fd, byte[] data) {
        return of(Sysno.WRITE, fd, new In(data), data.length);
    }

    public static Syscall close(int fd) {
        return of(Sysno.CLOSE, fd);
    }

    public static Syscall shutdown(int fd, int how) {
        return of(Sysno.SHUTDOWN, fd, how);
    }

    public static Syscall setsockopt(int fd, int level, int name, byte[] value) {
        return of(Sysno.SETSOCKOPT, fd, level, name, new In(value), value.length);
    }

    /** getsockopt(fd, level, name, &value, &len): the value comes back as output 0. */
    public static Syscall getsockopt(int fd, int level, int name, int length) {
        return of(Sysno.GETSOCKOPT, fd, level, name, new Out(length, false), new InOut(le32(length)));
    }

    /**
     * ppoll(fds, n, timeout, NULL, 8): a negative timeout waits forever; the
     * pollfds with their revents come back as output 0.
     */
    public static Syscall ppoll(List<PollFd> fds, long timeoutNanos) {
        Object timeout = timeoutNanos < 0 ? (Object) 0L : new In(timespec(timeoutNanos));
        return of(Sysno.PPOLL, new InOut(PollFd.encode(fds)), fds.size(), timeout, 0, 8);
    }

    public static Syscall nanosleep(long nanos) {
        return of(Sysno.NANOSLEEP, new In(timespec(nanos)), 0);
    }

    public static Syscall getpid() {
        return of(Sysno.GETPID);
    }

    public static Syscall sched_yield() {
        return of(Sysno.SCHED_YIELD);
    }

    // ---- encodings ------------------------------------------------------

    public static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    public static int le32(byte[] b) {
        return ByteBuffer.wrap(b, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /** struct timespec {long sec; long nsec;} (16 bytes, little-endian). */
    public static byte[] timespec(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("negative time " + nanos);
        }
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(nanos / 1_000_000_000L).putLong(nanos % 1_000_000_000L).array();
    }
}
