package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.agent.AgentHost;
import dev.wirelab.emulator.agent.PendingCall;
import dev.wirelab.emulator.agent.PollFd;
import dev.wirelab.emulator.agent.Syscall;
import dev.wirelab.emulator.agent.SyscallResult;
import dev.wirelab.emulator.agent.TracedSyscall;

import java.util.List;

/**
 * Syscalls run inside the guest by its lab agents (agent 0 and 1 in the default
 * guest): {@code fd = sys.socket(0, 2, 1, 0).orThrow()}. A thin face over the
 * agent host ({@link AgentHost#sys()}) that follows the lab across boots; the
 * first argument of every call is the agent id. {@code sys.host} reaches the
 * rest (submit for blocking calls, awaitHello, info).
 */
public final class Sys {
    public static final int AF_INET = dev.wirelab.emulator.agent.Sys.AF_INET;
    public static final int SOCK_STREAM = dev.wirelab.emulator.agent.Sys.SOCK_STREAM;
    public static final int SOCK_DGRAM = dev.wirelab.emulator.agent.Sys.SOCK_DGRAM;

    private final Lab lab;

    Sys(Lab lab) {
        this.lab = lab;
    }

    /** True when the booted board has an agent host (boot(agents: false) leaves it out). */
    public boolean isAvailable() {
        return lab.agentHost() != null;
    }

    public AgentHost getHost() {
        AgentHost h = lab.agentHost();
        if (h == null) {
            throw new IllegalStateException(lab.isBooted() ? "this lab was booted without agents (boot(agents: false))"
                    : "no guest booted yet: call lab.boot() first");
        }
        return h;
    }

    /** Agent ids, fds, ports and lengths arrive as any integral number (a Long fd from orThrow() included). */
    private static int i(long v, String what) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new BadArgument("sys: " + what + " " + v + " is out of range for an int", ScriptLine.caller());
        }
        return (int) v;
    }

    private dev.wirelab.emulator.agent.Sys s() {
        return getHost().sys();
    }

    public SyscallResult socket(long agent, long domain, long type, long protocol) {
        return s().socket(i(agent, "agent"), i(domain, "domain"), i(type, "type"), i(protocol, "protocol"));
    }

    public SyscallResult bind(long agent, long fd, String ip, long port) {
        return s().bind(i(agent, "agent"), i(fd, "fd"), ip, i(port, "port"));
    }

    public SyscallResult listen(long agent, long fd, long backlog) {
        return s().listen(i(agent, "agent"), i(fd, "fd"), i(backlog, "backlog"));
    }

    public SyscallResult accept(long agent, long fd) {
        return s().accept(i(agent, "agent"), i(fd, "fd"));
    }

    /** accept4 with flags (SOCK_NONBLOCK 0x800, SOCK_CLOEXEC 0x80000). */
    public SyscallResult accept4(long agent, long fd, long flags) {
        return s().accept4(i(agent, "agent"), i(fd, "fd"), i(flags, "flags"));
    }

    public SyscallResult connect(long agent, long fd, String ip, long port) {
        return s().connect(i(agent, "agent"), i(fd, "fd"), ip, i(port, "port"));
    }

    public SyscallResult send(long agent, long fd, byte[] bytes) {
        return s().send(i(agent, "agent"), i(fd, "fd"), bytes);
    }

    public SyscallResult send(long agent, long fd, String text) {
        return s().send(i(agent, "agent"), i(fd, "fd"), text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public SyscallResult recv(long agent, long fd, long maxLen) {
        return s().recv(i(agent, "agent"), i(fd, "fd"), i(maxLen, "maxLen"));
    }

    public SyscallResult sendto(long agent, long fd, byte[] bytes, String ip, long port) {
        return s().sendto(i(agent, "agent"), i(fd, "fd"), bytes, ip, i(port, "port"));
    }

    public SyscallResult recvfrom(long agent, long fd, long maxLen) {
        return s().recvfrom(i(agent, "agent"), i(fd, "fd"), i(maxLen, "maxLen"));
    }

    public SyscallResult close(long agent, long fd) {
        return s().close(i(agent, "agent"), i(fd, "fd"));
    }

    public SyscallResult shutdown(long agent, long fd, long how) {
        return s().shutdown(i(agent, "agent"), i(fd, "fd"), i(how, "how"));
    }

    public SyscallResult setsockopt(long agent, long fd, long level, long name, long value) {
        return s().setsockopt(i(agent, "agent"), i(fd, "fd"), i(level, "level"), i(name, "name"), i(value, "value"));
    }

    public SyscallResult getsockopt(long agent, long fd, long level, long name) {
        return s().getsockopt(i(agent, "agent"), i(fd, "fd"), i(level, "level"), i(name, "name"));
    }

    public SyscallResult ppoll(long agent, List<PollFd> fds, long timeoutNanos) {
        return s().ppoll(i(agent, "agent"), fds, timeoutNanos);
    }

    public SyscallResult nanosleep(long agent, long nanos) {
        return s().nanosleep(i(agent, "agent"), nanos);
    }

    public SyscallResult getpid(long agent) {
        return s().getpid(i(agent, "agent"));
    }

    /** Syscalls the agent host traced (every svc #0 of every thread, with results when known). */
    public List<TracedSyscall> trace() {
        AgentHost h = lab.agentHost();
        return h == null ? List.of() : h.trace();
    }

    /**
     * Starts a send on {@code agent} and returns at once, for runs that stop or tick inside the call
     * (breakpoints, {@code tick()}); the returned call says {@code isDone()} and holds {@code result()}.
     */
    public PendingCall sendAsync(long agent, long fd, byte[] bytes) {
        return getHost().submit(Math.toIntExact(agent), Syscall.send(Math.toIntExact(fd), bytes, 0));
    }

    /** Starts a recv of up to {@code maxLen} bytes on {@code agent} and returns at once (see {@link #sendAsync}). */
    public PendingCall recvAsync(long agent, long fd, long maxLen) {
        return getHost().submit(Math.toIntExact(agent), Syscall.recv(Math.toIntExact(fd), Math.toIntExact(maxLen), 0));
    }

    /** Starts an accept on {@code agent} and returns at once (a blocking accept the script answers with packets). */
    public PendingCall acceptAsync(long agent, long fd) {
        return getHost().submit(i(agent, "agent"), Syscall.accept(i(fd, "fd")));
    }

    /** Starts a connect to {@code ip:port} on {@code agent} and returns at once (the script answers the SYN). */
    public PendingCall connectAsync(long agent, long fd, String ip, long port) {
        return getHost().submit(i(agent, "agent"), Syscall.connect(i(fd, "fd"),
                dev.wirelab.emulator.agent.SockAddr.of(ip, i(port, "port"))));
    }

    @Override
    public String toString() {
        return isAvailable() ? "sys: syscalls through the guest agents, e.g. sys.socket(0, 2, 1, 0).orThrow()"
                : "sys: no agent host on this board";
    }
}
