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

    private dev.wirelab.emulator.agent.Sys s() {
        return getHost().sys();
    }

    public SyscallResult socket(int agent, int domain, int type, int protocol) {
        return s().socket(agent, domain, type, protocol);
    }

    public SyscallResult bind(int agent, int fd, String ip, int port) {
        return s().bind(agent, fd, ip, port);
    }

    public SyscallResult listen(int agent, int fd, int backlog) {
        return s().listen(agent, fd, backlog);
    }

    public SyscallResult accept(int agent, int fd) {
        return s().accept(agent, fd);
    }

    public SyscallResult connect(int agent, int fd, String ip, int port) {
        return s().connect(agent, fd, ip, port);
    }

    public SyscallResult send(int agent, int fd, byte[] bytes) {
        return s().send(agent, fd, bytes);
    }

    public SyscallResult send(int agent, int fd, String text) {
        return s().send(agent, fd, text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public SyscallResult recv(int agent, int fd, int maxLen) {
        return s().recv(agent, fd, maxLen);
    }

    public SyscallResult sendto(int agent, int fd, byte[] bytes, String ip, int port) {
        return s().sendto(agent, fd, bytes, ip, port);
    }

    public SyscallResult recvfrom(int agent, int fd, int maxLen) {
        return s().recvfrom(agent, fd, maxLen);
    }

    public SyscallResult close(int agent, int fd) {
        return s().close(agent, fd);
    }

    public SyscallResult shutdown(int agent, int fd, int how) {
        return s().shutdown(agent, fd, how);
    }

    public SyscallResult setsockopt(int agent, int fd, int level, int name, int value) {
        return s().setsockopt(agent, fd, level, name, value);
    }

    public SyscallResult getsockopt(int agent, int fd, int level, int name) {
        return s().getsockopt(agent, fd, level, name);
    }

    public SyscallResult ppoll(int agent, List<PollFd> fds, long timeoutNanos) {
        return s().ppoll(agent, fds, timeoutNanos);
    }

    public SyscallResult nanosleep(int agent, long nanos) {
        return s().nanosleep(agent, nanos);
    }

    public SyscallResult getpid(int agent) {
        return s().getpid(agent);
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

    @Override
    public String toString() {
        return isAvailable() ? "sys: syscalls through the guest agents, e.g. sys.socket(0, 2, 1, 0).orThrow()"
                : "sys: no agent host on this board";
    }
}
