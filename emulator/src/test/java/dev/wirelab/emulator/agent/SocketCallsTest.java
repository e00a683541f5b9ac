package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.board.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.wirelab.emulator.agent.Sys.AF_INET;
import static dev.wirelab.emulator.agent.Sys.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sys.* on the default guest: a TCP server in agent 0 and a client in agent 1.
 * The guest has no loopback interface, so the client connects to the guest's
 * own address 10.0.2.15 and {@link SelfLoopback} hands those frames back.
 */
class SocketCallsTest {
    static final String GUEST_IP = "10.0.2.15";
    static GuestBoard g;
    static Sys sys;
    static Snapshot ready;
    static VirtualWire wire;

    @BeforeAll
    static void boot() {
        g = new GuestBoard();
        g.host.awaitHello(Budget.virtualMillis(1000), 0, 1);
        wire = VirtualWire.attach(g.board);
        SelfLoopback.install(wire);
        sys = g.host.sys().withBudget(new Budget(400_000_000L, 20_000_000_000L));
        ready = g.board.snapshot();
    }

    @AfterAll
    static void close() {
        ready.close();
        g.board.close();
    }

    @BeforeEach
    void restore() {
        g.board.restore(ready);
    }

    /** socket/bind/listen on port {@code port} in agent 0; returns the listening fd. */
    static int listener(int port) {
        int fd = (int) sys.socket(0, AF_INET, SOCK_STREAM, 0).orThrow();
        assertEquals(0, sys.setsockopt(0, fd, Sys.SOL_SOCKET, Sys.SO_REUSEADDR, 1).orThrow());
        assertEquals(0, sys.bind(0, fd, "0.0.0.0", port).orThrow());
        assertEquals(0, sys.listen(0, fd, 4).orThrow());
        return fd;
    }

    static byte[] pattern(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 8));
        }
        return b;
    }

    @Test
    void tcpServerAndClientMove64KiBEachWay() {
        int lfd = listener(9000);
        PendingCall accept = g.host.submit(0, Syscall.accept(lfd));
        int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
        assertEquals(0, sys.connect(1, cfd, GUEST_IP, 9000).orThrow());
        SyscallResult acc = accept.await(sys.budget());
        int sfd = (int) acc.orThrow();

        SockAddr client = sys.getsockname(1, cfd).address();
        assertEquals(SockAddr.of(GUEST_IP, client.port()), client);
        assertEquals(client, acc.address(), "accept returns the client's address");
        assertEquals(client, sys.getpeername(0, sfd).address());
        assertEquals(SockAddr.of(GUEST_IP, 9000), sys.getpeername(1, cfd).address());

        byte[] up = pattern(64 * 1024, 1);
        byte[] down = pattern(64 * 1024, 77);
        assertArrayEquals(up, transfer(1, cfd, 0, sfd, up), "client → server");
        assertArrayEquals(down, transfer(0, sfd, 1, cfd, down), "server → client");

        assertEquals(0, sys.close(1, cfd).orThrow());
        assertEquals(0, sys.recv(0, sfd, 100).orThrow(), "EOF after the client closed");
        assertEquals(0, sys.close(0, sfd).orThrow());
        assertEquals(0, sys.close(0, lfd).orThrow());
    }

    /** Sends {@code data} from one agent and receives it in the other, a buffer at a time. */
    static byte[] transfer(int from, int fromFd, int to, int toFd, byte[] data) {
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        int chunk = 16 * 1024;
        for (int off = 0; off < data.length; off += chunk) {
            byte[] part = java.util.Arrays.copyOfRange(data, off, Math.min(data.length, off + chunk));
            assertEquals(part.length, sys.sendAll(from, fromFd, part));
            got.writeBytes(sys.recvExactly(to, toFd, part.length));
        }
        return got.toByteArray();
    }

    /** The loopback is a station on the wire: what it hands back passes the wire's taps (and captures). */
    @Test
    void loopedBackFramesPassTheWire() {
        int[] seen = new int[2];
        VirtualWire.Tap tap = (nanos, d, f) -> seen[d == dev.wirelab.emulator.capture.Direction.INBOUND ? 0 : 1]++;
        wire.addTap(tap);
        try {
            int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
            assertEquals(Errno.ECONNREFUSED, sys.connect(1, cfd, GUEST_IP, 9002).errno());
        } finally {
            wire.removeTap(tap);
        }
        // SYN out, SYN back in; RST out, RST back in (ARP for itself too, the first time): in and out pair up.
        assertTrue(seen[1] >= 2, "frames from the guest: " + seen[1]);
        assertEquals(seen[1], seen[0], "every frame the guest sent itself came back through the wire");
    }

    @Test
    void connectToAClosedPortIsRefused() {
        int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
        SyscallResult r = sys.connect(1, cfd, GUEST_IP, 9001);
        assertEquals(Errno.ECONNREFUSED, r.errno(), r.toString());
        assertEquals(-111, r.value());
        assertEquals("-111 (ECONNREFUSED)", r.toString());
        AgentException e = assertThrows(AgentException.class, r::orThrow);
        assertTrue(e.getMessage().contains("connect(") && e.getMessage().contains("ECONNREFUSED"), e.getMessage());
    }

    @Test
    void recvOnABadFdIsEbadf() {
        assertEquals(Errno.EBADF, sys.recv(0, 42, 10).errno());
        assertEquals(Errno.EBADF, sys.close(1, 9).errno());
    }

    @Test
    void fdsBelongToTheirAgent() {
        int fd = (int) sys.socket(0, AF_INET, SOCK_STREAM, 0).orThrow();
        assertEquals(Errno.EBADF, sys.getsockopt(1, fd, Sys.SOL_SOCKET, Sys.SO_TYPE).errno(),
                "agent 1 has its own file table");
        assertEquals(SOCK_STREAM, sys.getsockopt(0, fd, Sys.SOL_SOCKET, Sys.SO_TYPE).intValue());
    }

    @Test
    void acceptAsyncWhileConnectBlocks() {
        int lfd = listener(9000);
        PendingCall accept = g.host.submit(0, Syscall.accept(lfd));
        assertFalse(accept.isDone());
        // Agent 1 sleeps 100 ms meanwhile: agent 0 takes the accept and blocks in the guest, no client yet.
        long t0 = g.board.clock().nanos();
        sys.nanosleep(1, 100_000_000L).orThrow();
        // The guest converts with CNTFRQ/10^6 truncated to 62 (not 62.5): its sleeps run 0.8 % short.
        assertTrue(g.board.clock().nanos() - t0 >= 99_000_000L, g.board.clock().nanos() - t0 + " ns");
        assertEquals(PendingCall.Phase.IN_FLIGHT, accept.phase(), accept.toString());
        assertThrows(IllegalStateException.class, accept::result);

        int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
        SyscallResult conn = g.host.invoke(1, Syscall.connect(cfd, SockAddr.of(GUEST_IP, 9000)), sys.budget());
        assertEquals(0, conn.value());
        SyscallResult acc = accept.await(sys.budget());
        assertTrue(acc.value() >= 0, acc.toString());
        assertTrue(acc.reportedAt() > acc.dispatchedAt());
        assertTrue(acc.dispatchedAt() < conn.dispatchedAt(), "accept was in flight before connect was handed out");
    }

    @Test
    void pollSeesAPendingConnection() {
        int lfd = listener(9000);
        List<PollFd> fds = List.of(PollFd.of(lfd, Sys.POLLIN));
        SyscallResult none = sys.ppoll(0, fds, 0);
        assertEquals(0, none.value());
        assertEquals(0, none.pollfds().get(0).revents());

        int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
        assertEquals(0, sys.connect(1, cfd, GUEST_IP, 9000).orThrow());
        SyscallResult one = sys.ppoll(0, fds, 1_000_000_000L);
        assertEquals(1, one.value());
        assertEquals(Sys.POLLIN, one.pollfds().get(0).revents() & Sys.POLLIN);
        assertEquals(lfd, one.pollfds().get(0).fd());
    }

    @Test
    void smallCalls() {
        assertEquals(0, sys.sched_yield(0).value());
        long before = g.board.clock().nanos();
        assertEquals(0, sys.nanosleep(1, 50_000_000L).value());
        assertTrue(g.board.clock().nanos() - before >= 49_500_000L, "virtual time passed (the guest's sleeps run 0.8 % short)");
        int fd = (int) sys.socket(0, AF_INET, SOCK_STREAM, 0).orThrow();
        assertEquals(Errno.ENOTCONN, sys.getpeername(0, fd).errno());
        assertEquals(Errno.ENOTCONN, sys.shutdown(0, fd, Sys.SHUT_RDWR).errno(), "not connected");
        assertEquals(Errno.ENOSYS, Errno.ofResult(g.host.call(0, Syscall.of(999))));
    }

    /** One scripted run from the ready snapshot: what a replay must reproduce exactly. */
    record Outcome(String traceHash, long instructions, List<String> agentTrace, List<Long> results) { }

    static Outcome scenario(int bytes) {
        g.board.restore(ready);
        long mark = g.host.tracedCount();
        java.util.ArrayList<Long> results = new java.util.ArrayList<>();
        int lfd = listener(9000);
        PendingCall accept = g.host.submit(0, Syscall.accept(lfd));
        int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
        results.add(sys.connect(1, cfd, GUEST_IP, 9000).value());
        int sfd = (int) accept.await().orThrow();
        results.add((long) sys.getsockname(1, cfd).address().port());
        results.add(sys.sendAll(1, cfd, pattern(bytes, 5)));
        results.add((long) java.util.Arrays.hashCode(sys.recvExactly(0, sfd, bytes)));
        results.add(sys.close(1, cfd).value());
        results.add(sys.recv(0, sfd, 10).value());
        List<String> agentTrace = g.host.trace().stream().filter(t -> t.seq() >= mark && t.agent() >= 0)
                .map(TracedSyscall::toString).toList();
        return new Outcome(g.board.trace().hex(), g.board.clock().instructions(), agentTrace, results);
    }

    @Test
    void theSameSequenceFromTheSameSnapshotReplaysExactly() {
        Outcome first = scenario(20_000);
        Outcome other = scenario(3_000);
        Outcome again = scenario(20_000);
        assertEquals(first, again);
        assertTrue(first.agentTrace().size() >= 10, first.agentTrace().toString());
        assertTrue(!first.traceHash().equals(other.traceHash()), "a different sequence is a different run");
    }

    @Test
    void aRestoreBringsBackTheCallInFlight() {
        int lfd = listener(9000);
        PendingCall accept = g.host.submit(0, Syscall.accept(lfd));
        sys.nanosleep(1, 30_000_000L).orThrow();
        assertEquals(PendingCall.Phase.IN_FLIGHT, accept.phase());
        try (Snapshot blocked = g.board.snapshot()) {
            int cfd = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
            assertEquals(0, sys.connect(1, cfd, GUEST_IP, 9000).value());
            SyscallResult first = accept.await();
            PendingCall late = g.host.submit(1, Syscall.getpid());

            g.board.restore(blocked);
            assertEquals(PendingCall.Phase.IN_FLIGHT, accept.phase(), "back in flight with the machine");
            assertEquals(PendingCall.Phase.DISCARDED, late.phase(), "submitted after the snapshot");
            assertThrows(AgentException.class, late::result);
            assertEquals(List.of(0, 1), g.host.agents());
            assertEquals(Syscall.accept(lfd), g.host.info(0).inFlight());

            int cfd2 = (int) sys.socket(1, AF_INET, SOCK_STREAM, 0).orThrow();
            assertEquals(cfd, cfd2);
            assertEquals(0, sys.connect(1, cfd2, GUEST_IP, 9000).value());
            SyscallResult second = accept.await();
            assertEquals(first.value(), second.value());
            assertEquals(first.address(), second.address());
            assertEquals(first.reportedAt(), second.reportedAt(), "the same instruction");
        }
    }

    @Test
    void udpDatagramCarriesItsSource() {
        int rfd = (int) sys.socket(0, AF_INET, Sys.SOCK_DGRAM, 0).orThrow();
        assertEquals(0, sys.bind(0, rfd, "0.0.0.0", 9100).orThrow());
        int sfd = (int) sys.socket(1, AF_INET, Sys.SOCK_DGRAM, 0).orThrow();
        assertEquals(0, sys.bind(1, sfd, "0.0.0.0", 9101).orThrow());
        byte[] msg = "datagram from agent 1".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertEquals(msg.length, sys.sendto(1, sfd, msg, GUEST_IP, 9100).orThrow());
        SyscallResult r = sys.recvfrom(0, rfd, 1500);
        assertEquals(msg.length, r.orThrow());
        assertArrayEquals(msg, r.data());
        assertEquals(SockAddr.of(GUEST_IP, 9101), r.source());
        assertEquals(Errno.EAGAIN, g.host.invoke(0, Syscall.recv(rfd, 100, Sys.MSG_DONTWAIT), sys.budget()).errno(),
                "nothing more queued");
    }
}
