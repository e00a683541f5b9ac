package dev.wirelab.emulator.agent;

import java.io.ByteArrayOutputStream;
import java.util.List;

/**
 * {@code sys.*} for scripts and tests: one thin blocking method per Linux
 * call, named like it, taking the agent id first. Each builds its call with
 * the {@link Syscall} factory of the same name and waits within this
 * object's budget; for asynchronous use submit those factories with
 * {@link AgentHost#submit}. Results are raw (a value or -errno) with outputs
 * and errno decoding: {@link SyscallResult}.
 */
public final class Sys {
    public static final int AF_INET = 2;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_DGRAM = 2;
    public static final int SOCK_NONBLOCK = 0x800;
    public static final int SOCK_CLOEXEC = 0x80000;
    public static final int SOL_SOCKET = 1;
    public static final int SO_REUSEADDR = 2;
    public static final int SO_TYPE = 3;
    public static final int SO_ERROR = 4;
    public static final int SO_SNDBUF = 7;
    public static final int SO_RCVBUF = 8;
    public static final int SO_KEEPALIVE = 9;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;
    public static final int TCP_NODELAY = 1;
    public static final int MSG_PEEK = 0x2;
    public static final int MSG_DONTWAIT = 0x40;
    public static final int SHUT_RD = 0;
    public static final int SHUT_WR = 1;
    public static final int SHUT_RDWR = 2;
    public static final int POLLIN = 0x1;
    public static final int POLLPRI = 0x2;
    public static final int POLLOUT = 0x4;
    public static final int POLLERR = 0x8;
    public static final int POLLHUP = 0x10;
    public static final int POLLNVAL = 0x20;
    public static final int POLLRDHUP = 0x2000;

    private final AgentHost host;
    private final Budget budget;

    Sys(AgentHost host, Budget budget) {
        this.host = host;
        this.budget = budget;
    }

    /** The same wrappers, each call bounded by {@code b}. */
    public Sys withBudget(Budget b) {
        return new Sys(host, b);
    }

    public Budget budget() {
        return budget;
    }

    private SyscallResult run(int agent, Syscall call) {
        return host.invoke(agent, call, budget);
    }

    public SyscallResult socket(int agent, int domain, int type, int protocol) {
        return run(agent, Syscall.socket(domain, type, protocol));
    }

    public SyscallResult bind(int agent, int fd, String ip, int port) {
        return run(agent, Syscall.bind(fd, SockAddr.of(ip, port)));
    }

    public SyscallResult listen(int agent, int fd, int backlog) {
        return run(agent, Syscall.listen(fd, backlog));
    }

    /** The new fd; {@link SyscallResult#address()} is the peer. */
    public SyscallResult accept(int agent, int fd) {
        return run(agent, Syscall.accept(fd));
    }

    public SyscallResult connect(int agent, int fd, String ip, int port) {
        return run(agent, Syscall.connect(fd, SockAddr.of(ip, port)));
    }

    /** One sendto of all of {@code bytes} (at most the agent's buffer; {@link #sendAll} for more). */
    public SyscallResult send(int agent, int fd, byte[] bytes) {
        return run(agent, Syscall.send(fd, bytes, 0));
    }

    /** One recvfrom of up to {@code maxLen} bytes (capped at the agent's buffer); data() is what came. */
    public SyscallResult recv(int agent, int fd, int maxLen) {
        return run(agent, Syscall.recv(fd, capped(agent, maxLen), 0));
    }

    /** sendto with a destination (UDP). */
    public SyscallResult sendto(int agent, int fd, byte[] bytes, String ip, int port) {
        return run(agent, Syscall.sendto(fd, bytes, 0, SockAddr.of(ip, port)));
    }

    /** recvfrom with the source: {@link SyscallResult#data()} the bytes, {@link SyscallResult#source()} the sender. */
    public SyscallResult recvfrom(int agent, int fd, int maxLen) {
        return run(agent, Syscall.recvfrom(fd, capped(agent, maxLen), 0));
    }

    public SyscallResult accept4(int agent, int fd, int flags) {
        return run(agent, Syscall.accept4(fd, flags));
    }

    public SyscallResult close(int agent, int fd) {
        return run(agent, Syscall.close(fd));
    }

    public SyscallResult shutdown(int agent, int fd, int how) {
        return run(agent, Syscall.shutdown(fd, how));
    }

    /** setsockopt with an int option value. */
    public SyscallResult setsockopt(int agent, int fd, int level, int name, int value) {
        return run(agent, Syscall.setsockopt(fd, level, name, Syscall.le32(value)));
    }

    /** getsockopt of an int option: {@link SyscallResult#intValue()}. */
    public SyscallResult getsockopt(int agent, int fd, int level, int name) {
        return run(agent, Syscall.getsockopt(fd, level, name, 4));
    }

    public SyscallResult getsockname(int agent, int fd) {
        return run(agent, Syscall.getsockname(fd));
    }

    public SyscallResult getpeername(int agent, int fd) {
        return run(agent, Syscall.getpeername(fd));
    }

    /** {@link SyscallResult#pollfds()} carries the revents; a negative timeout waits forever. */
    public SyscallResult ppoll(int agent, List<PollFd> fds, long timeoutNanos) {
        return run(agent, Syscall.ppoll(fds, timeoutNanos));
    }

    public SyscallResult nanosleep(int agent, long nanos) {
        return run(agent, Syscall.nanosleep(nanos));
    }

    public SyscallResult getpid(int agent) {
        return run(agent, Syscall.getpid());
    }

    public SyscallResult sched_yield(int agent) {
        return run(agent, Syscall.sched_yield());
    }

    // ---- loops over the calls above -----------------------------------------

    /** Sends all of {@code bytes} in buffer-sized sendto calls; returns the count, throws on an error. */
    public long sendAll(int agent, int fd, byte[] bytes) {
        int chunk = chunk(agent);
        long sent = 0;
        while (sent < bytes.length) {
            int n = (int) Math.min(chunk, bytes.length - sent);
            byte[] part = java.util.Arrays.copyOfRange(bytes, (int) sent, (int) sent + n);
            sent += send(agent, fd, part).orThrow();
        }
        return sent;
    }

    /** Receives until {@code n} bytes came or the peer closed (fewer then); throws on an error. */
    public byte[] recvExactly(int agent, int fd, int n) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(n);
        while (out.size() < n) {
            SyscallResult r = recv(agent, fd, Math.min(chunk(agent), n - out.size()));
            if (r.orThrow() == 0) {
                break;
            }
            out.writeBytes(r.data());
        }
        return out.toByteArray();
    }

    private int chunk(int agent) {
        int size = host.info(agent).bufferSize();
        if (size == 0) {
            throw new IllegalStateException("agent " + agent + " has not said HELLO: its buffer size is unknown");
        }
        return size;
    }

    private int capped(int agent, int maxLen) {
        int size = host.info(agent).bufferSize();
        return size > 0 ? Math.min(maxLen, size) : maxLen;
    }
}
