package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.agent.Errno;
import dev.wirelab.emulator.agent.PollFd;
import dev.wirelab.emulator.agent.SockAddr;
import dev.wirelab.emulator.agent.Syscall;
import dev.wirelab.emulator.agent.SyscallResult;

import java.util.List;
import java.util.Map;

/**
 * Turns a script's syscall into one the guest's lab agent can issue: symbolic constants, {@code ...}
 * arguments filled in as packetdrill does (the local/remote address and the bind/connect port), script
 * fds mapped onto the guest's. What the agents cannot express is a {@link dev.wirelab.emulator.lab.BadArgument} "unsupported at FILE:LINE".
 */
final class PktSyscalls {
    /** Linux AArch64 values of the constants scripts use. */
    private static final Map<String, Long> CONSTANTS = Map.ofEntries(
            Map.entry("AF_INET", 2L), Map.entry("PF_INET", 2L), Map.entry("SOCK_STREAM", 1L), Map.entry("SOCK_DGRAM", 2L),
            Map.entry("SOCK_NONBLOCK", 0x800L), Map.entry("SOCK_CLOEXEC", 0x80000L), Map.entry("IPPROTO_TCP", 6L),
            Map.entry("IPPROTO_UDP", 17L), Map.entry("IPPROTO_IP", 0L), Map.entry("SOL_SOCKET", 1L), Map.entry("SOL_TCP", 6L),
            Map.entry("SO_REUSEADDR", 2L), Map.entry("SO_SNDBUF", 7L), Map.entry("SO_RCVBUF", 8L),
            Map.entry("SO_KEEPALIVE", 9L), Map.entry("SO_ERROR", 4L), Map.entry("TCP_NODELAY", 1L),
            Map.entry("SHUT_RD", 0L), Map.entry("SHUT_WR", 1L), Map.entry("SHUT_RDWR", 2L), Map.entry("MSG_DONTWAIT", 0x40L),
            Map.entry("MSG_PEEK", 2L), Map.entry("POLLIN", 0x1L), Map.entry("POLLPRI", 0x2L), Map.entry("POLLOUT", 0x4L),
            Map.entry("POLLERR", 0x8L), Map.entry("POLLHUP", 0x10L), Map.entry("POLLNVAL", 0x20L),
            Map.entry("POLLRDNORM", 0x40L), Map.entry("POLLRDBAND", 0x80L), Map.entry("POLLWRNORM", 0x100L),
            Map.entry("POLLWRBAND", 0x200L), Map.entry("POLLRDHUP", 0x2000L));

    /** Calls the default guest has no counterpart for, with what to write instead. */
    private static final Map<String, String> MISSING = Map.of(
            "fcntl", "the default guest has no fcntl: SOCK_NONBLOCK in socket() or accept4() makes a socket non-blocking",
            "ioctl", "the default guest has no ioctl (SIOCINQ/SIOCOUTQ and friends)",
            "sendmsg", "the lab agents pass no msghdr: use send or sendto",
            "recvmsg", "the lab agents pass no msghdr: use recv or recvfrom",
            "epoll_create", "the default guest has no epoll: use poll",
            "epoll_ctl", "the default guest has no epoll: use poll",
            "epoll_wait", "the default guest has no epoll: use poll");

    /** The setsockopt/getsockopt (level, name) pairs the default guest implements. */
    private static final List<List<Long>> SOCKOPTS = List.of(List.of(1L, 2L), List.of(1L, 7L), List.of(1L, 8L),
            List.of(1L, 9L), List.of(1L, 4L), List.of(6L, 1L));

    private final String file;
    private final PktRunner.Settings settings;
    /** Script fd → guest fd. */
    private final Map<Long, Long> fds = new java.util.HashMap<>();

    PktSyscalls(String file, PktRunner.Settings settings) {
        this.file = file;
        this.settings = settings;
    }

    /** The port the guest's listening socket was bound to (null before a bind). */
    Integer boundPort;
    /** The peer's port the guest connected to (null before a connect). */
    Integer connectedPort;

    private dev.wirelab.emulator.lab.BadArgument unsupported(PktEvent.Syscall s, String what) {
        return PktUnsupported.at(file, s.line(), what);
    }

    long value(PktEvent.Syscall s, Expr e) {
        return switch (e) {
            case Expr.Num n -> n.value();
            case Expr.Word w -> {
                Long v = CONSTANTS.get(w.name());
                if (v == null) {
                    throw unsupported(s, s.name() + ": the constant " + w.name() + " is not known to this lab");
                }
                yield v;
            }
            case Expr.Or o -> value(s, o.left()) | value(s, o.right());
            case Expr.Group g when !g.braces() && g.items().size() == 1 -> value(s, g.items().get(0));
            default -> throw unsupported(s, s.name() + ": argument " + e + " is not an integer this lab can pass");
        };
    }

    private int fd(PktEvent.Syscall s, Expr e) {
        long scriptFd = value(s, e);
        return Math.toIntExact(fds.getOrDefault(scriptFd, scriptFd));
    }

    /** Records that the script calls the guest's new fd {@code actual} by {@code expected}. */
    void mapFd(long expected, long actual) {
        fds.put(expected, actual);
    }

    private Expr arg(PktEvent.Syscall s, int i, int count) {
        if (s.args().size() != count) {
            throw unsupported(s, s.name() + " takes " + count + " arguments here, the script gives " + s.args().size());
        }
        return s.args().get(i);
    }

    /** A sockaddr argument: {@code ...} is packetdrill's own choice; a struct is read and its address mapped. */
    private SockAddr sockaddr(PktEvent.Syscall s, Expr e, String ellipsisIp, int ellipsisPort) {
        if (e instanceof Expr.Ellipsis) {
            return SockAddr.of(ellipsisIp, ellipsisPort);
        }
        if (e instanceof Expr.Group g && g.braces()) {
            String ip = null;
            Integer port = null;
            for (Expr item : g.items()) {
                if (item instanceof Expr.Assign a && a.name() instanceof Expr.Word n) {
                    if (n.name().equals("sin_port") && a.value() instanceof Expr.Call c && c.name().equals("htons")
                            && c.args().size() == 1) {
                        port = (int) value(s, c.args().get(0));
                    } else if (n.name().equals("sin_addr") && a.value() instanceof Expr.Call c
                            && c.name().equals("inet_addr") && c.args().size() == 1 && c.args().get(0) instanceof Expr.Str str) {
                        ip = settings.mapAddress(str.value());
                    }
                }
            }
            if (ip != null && port != null) {
                return SockAddr.of(ip, port);
            }
        }
        throw unsupported(s, s.name() + ": the address " + e + " (write ... or {sa_family=AF_INET, sin_port=htons(P), "
                + "sin_addr=inet_addr(\"A.B.C.D\")})");
    }

    private static int len(long v) {
        return Math.toIntExact(v);
    }

    /** The guest call for {@code s}. */
    Syscall translate(PktEvent.Syscall s) {
        List<Expr> a = s.args();
        switch (s.name()) {
            case "socket" -> {
                long domain = a.size() == 3 && a.get(0) instanceof Expr.Ellipsis ? 2 : value(s, arg(s, 0, 3));
                return Syscall.socket((int) domain, (int) value(s, a.get(1)), (int) value(s, a.get(2)));
            }
            case "bind" -> {
                SockAddr addr = sockaddr(s, arg(s, 1, 3), settings.guestIp(), settings.bindPort());
                boundPort = addr.port();
                return Syscall.bind(fd(s, a.get(0)), addr);
            }
            case "listen" -> {
                return Syscall.listen(fd(s, arg(s, 0, 2)), (int) value(s, a.get(1)));
            }
            case "accept" -> {
                return Syscall.accept(fd(s, arg(s, 0, 3)));
            }
            case "accept4" -> {
                return Syscall.accept4(fd(s, arg(s, 0, 4)), (int) value(s, a.get(3)));
            }
            case "connect" -> {
                SockAddr to = sockaddr(s, arg(s, 1, 3), settings.peerIp(), settings.connectPort());
                connectedPort = to.port();
                return Syscall.connect(fd(s, a.get(0)), to);
            }
            case "write" -> {
                return Syscall.write(fd(s, arg(s, 0, 3)), payload(s, a.get(1), value(s, a.get(2))));
            }
            case "sendto" -> {
                SockAddr to = sockaddr(s, arg(s, 4, 6), settings.peerIp(), settings.connectPort());
                return Syscall.sendto(fd(s, a.get(0)), payload(s, a.get(1), value(s, a.get(2))), (int) value(s, a.get(3)), to);
            }
            case "recvfrom" -> {
                arg(s, 0, 6); // the source address and its length come back: ... or anything, not compared
                return Syscall.recvfrom(fd(s, a.get(0)), len(value(s, a.get(2))), (int) value(s, a.get(3)));
            }
            case "poll" -> {
                List<PollFd> fds = pollfds(s, arg(s, 0, 3));
                long nfds = value(s, a.get(1));
                if (nfds != fds.size()) {
                    throw unsupported(s, "poll: nfds " + nfds + " but " + fds.size() + " pollfd structs");
                }
                long ms = value(s, a.get(2));
                return Syscall.ppoll(fds, ms < 0 ? -1 : ms * 1_000_000);
            }
            case "send" -> {
                return Syscall.send(fd(s, arg(s, 0, 4)), payload(s, a.get(1), value(s, a.get(2))), (int) value(s, a.get(3)));
            }
            case "read" -> {
                return Syscall.read(fd(s, arg(s, 0, 3)), len(value(s, a.get(2))));
            }
            case "recv" -> {
                return Syscall.recv(fd(s, arg(s, 0, 4)), len(value(s, a.get(2))), (int) value(s, a.get(3)));
            }
            case "close" -> {
                return Syscall.close(fd(s, arg(s, 0, 1)));
            }
            case "shutdown" -> {
                return Syscall.shutdown(fd(s, arg(s, 0, 2)), (int) value(s, a.get(1)));
            }
            case "setsockopt" -> {
                int fd = fd(s, arg(s, 0, 5));
                long level = value(s, a.get(1));
                long name = value(s, a.get(2));
                requireSockopt(s, level, name);
                return Syscall.setsockopt(fd, (int) level, (int) name, Syscall.le32((int) value(s, a.get(3))));
            }
            case "getsockopt" -> {
                int fd = fd(s, arg(s, 0, 5));
                long level = value(s, a.get(1));
                long name = value(s, a.get(2));
                requireSockopt(s, level, name);
                return Syscall.getsockopt(fd, (int) level, (int) name, 4);
            }
            default -> throw unsupported(s, "the syscall " + s.name() + " (" + MISSING.getOrDefault(s.name(), "the lab "
                    + "agents run socket, bind, listen, accept, accept4, connect, read, write, send, sendto, recv, "
                    + "recvfrom, poll, close, shutdown, setsockopt, getsockopt") + ")");
        }
    }

    /** {@code [{fd=4, events=POLLIN, revents=POLLIN}, ...]}: the structs as the guest gets them (revents 0). */
    private List<PollFd> pollfds(PktEvent.Syscall s, Expr e) {
        List<PollFd> out = new java.util.ArrayList<>();
        for (Map<String, Expr> f : pollStructs(s, e)) {
            if (!f.containsKey("fd") || !f.containsKey("events")) {
                throw unsupported(s, "poll: each pollfd needs fd= and events= (revents= is what the call must return)");
            }
            out.add(PollFd.of(fd(s, f.get("fd")), (int) value(s, f.get("events"))));
        }
        return out;
    }

    /** The pollfd structs of a poll's first argument, field name → value. */
    List<Map<String, Expr>> pollStructs(PktEvent.Syscall s, Expr e) {
        if (!(e instanceof Expr.Group g) || g.braces()) {
            throw unsupported(s, "poll: the first argument " + e + " (write [{fd=4, events=POLLIN, revents=POLLIN}])");
        }
        List<Map<String, Expr>> out = new java.util.ArrayList<>();
        for (Expr item : g.items()) {
            Map<String, Expr> fields = new java.util.LinkedHashMap<>();
            if (!(item instanceof Expr.Group st) || !st.braces()) {
                throw unsupported(s, "poll: " + item + " is not a {fd=..., events=..., revents=...} struct");
            }
            for (Expr f : st.items()) {
                if (!(f instanceof Expr.Assign as) || !(as.name() instanceof Expr.Word w)) {
                    throw unsupported(s, "poll: " + f + " in a pollfd (write fd=N, events=..., revents=...)");
                }
                fields.put(w.name(), as.value());
            }
            out.add(fields);
        }
        return out;
    }

    /** Null when the call's outputs are what the script says (a poll's revents); else packetdrill's complaint. */
    String checkOutputs(PktEvent.Syscall s, SyscallResult r) {
        if (!s.name().equals("poll") || r.isError()) {
            return null;
        }
        List<Map<String, Expr>> want = pollStructs(s, s.args().get(0));
        List<PollFd> got = r.pollfds();
        for (int i = 0; i < want.size() && i < got.size(); i++) {
            Expr revents = want.get(i).get("revents");
            if (revents != null && !(revents instanceof Expr.Ellipsis) && value(s, revents) != got.get(i).revents()) {
                return "Expected revents " + revents + " (0x" + Long.toHexString(value(s, revents)) + ") for fd "
                        + want.get(i).get("fd") + " but got 0x" + Integer.toHexString(got.get(i).revents());
            }
        }
        return null;
    }

    private void requireSockopt(PktEvent.Syscall s, long level, long name) {
        if (!SOCKOPTS.contains(List.of(level, name))) {
            throw unsupported(s, s.name() + " level " + s.args().get(1) + " option " + s.args().get(2)
                    + " (the default guest implements SO_REUSEADDR, SO_SNDBUF, SO_RCVBUF, SO_KEEPALIVE, SO_ERROR, TCP_NODELAY)");
        }
    }

    private byte[] payload(PktEvent.Syscall s, Expr data, long length) {
        byte[] out = new byte[len(length)];
        if (data instanceof Expr.Str str) {
            byte[] b = str.value().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            System.arraycopy(b, 0, out, 0, Math.min(b.length, out.length));
        } else if (!(data instanceof Expr.Ellipsis)) {
            throw unsupported(s, s.name() + ": the buffer " + data + " (write ... or a string)");
        }
        return out;
    }

    /** Null when the guest's raw result {@code actual} is what the script says; else packetdrill's complaint. */
    String check(PktEvent.Syscall s, long actual) {
        if (s.result() instanceof Expr.Ellipsis) {
            return null;
        }
        long want = value(s, s.result());
        if (s.errno() != null) {
            Errno e;
            try {
                e = Errno.valueOf(s.errno());
            } catch (IllegalArgumentException x) {
                throw unsupported(s, "the errno " + s.errno() + " is not known to this lab");
            }
            if (want != -1 || actual != e.negative()) {
                return "Expected result " + want + " with errno " + s.errno() + " but got " + describe(actual);
            }
            return null;
        }
        // socket and accept return a new fd: any fd is right, the script's number becomes its name
        boolean newFd = s.name().equals("socket") || s.name().startsWith("accept");
        if (Errno.isError(actual) || want != actual && !newFd) {
            return "Expected result " + want + " but got " + describe(actual);
        }
        return null;
    }

    private static String describe(long raw) {
        if (!Errno.isError(raw)) {
            return Long.toString(raw);
        }
        Errno e = Errno.ofResult(raw);
        return "-1 with errno " + (-raw) + (e == null ? "" : " (" + e.name() + ")");
    }
}
