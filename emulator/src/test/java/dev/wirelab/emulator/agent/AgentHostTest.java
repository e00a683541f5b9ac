package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.time.VirtualClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The lab-call protocol against the default guest's two agents. */
class AgentHostTest {
    static GuestBoard g;
    static Snapshot ready;

    @BeforeAll
    static void boot() {
        g = new GuestBoard();
        g.host.awaitHello(Budget.virtualMillis(1000), 0, 1);
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

    @Test
    void bothAgentsSayHelloAtBootWithTheirBuffers() {
        for (int id : new int[] {0, 1}) {
            AgentHost.AgentInfo info = g.host.info(id);
            assertEquals(1, info.hellos(), "agent " + id);
            assertEquals(16384, info.bufferSize());
            assertEquals(0, info.bufferVa() & 0xfff, "page aligned");
        }
        assertTrue(g.host.info(0).bufferVa() != g.host.info(1).bufferVa());
        assertEquals(0, g.host.protocolErrors());
    }

    @Test
    void getpidIsTheAgentsThreadId() {
        assertEquals(6, g.host.call(0, Syscall.getpid()));
        assertEquals(7, g.host.call(1, Syscall.getpid()));
    }

    @Test
    void theTraceHasTheAgentsSyscallsWithTheirResults() {
        long mark = g.host.tracedCount();
        assertEquals(6, g.host.call(0, Syscall.getpid()));
        assertEquals(3, g.host.call(0, Syscall.socket(Sys.AF_INET, Sys.SOCK_STREAM, 0)));
        assertEquals(7, g.host.call(1, Syscall.getpid()));
        List<TracedSyscall> mine = g.host.trace().stream().filter(t -> t.seq() >= mark).toList();
        assertEquals(List.of("agent0 getpid = 6", "agent0 socket = 3", "agent1 getpid = 7"),
                mine.stream().map(t -> "agent" + t.agent() + " " + t.name() + " = " + t.result()).toList(),
                mine.toString());
        assertTrue(mine.stream().allMatch(TracedSyscall::resultKnown));
        TracedSyscall socket = mine.get(1);
        assertEquals(Sysno.SOCKET.number, socket.number());
        assertEquals(List.of(2L, 1L, 0L), List.of(socket.args()[0], socket.args()[1], socket.args()[2]));
        assertEquals(mine.get(0).pc(), mine.get(2).pc(), "both agents run the same code");
        assertTrue(mine.get(0).sp() != mine.get(2).sp(), "on their own stacks");
        assertTrue(socket.toString().contains("agent0 pc=0x") && socket.toString().endsWith("socket(0x2, 0x1, 0x0, 0x0, 0x0, 0x0) = 3"),
                socket.toString());
        // The services' own syscalls at boot were seen too (other threads: no agent, no result).
        assertTrue(g.host.trace().stream().anyMatch(t -> t.agent() < 0 && t.number() == Sysno.LISTEN.number
                && !t.resultKnown()), "echo and http listen at boot");
    }

    @Test
    void idleSleepsAreLeftOutOfTheTraceUnlessAsked() {
        long mark = g.host.tracedCount();
        g.board.run(3_000_000);
        assertTrue(g.host.trace().stream().noneMatch(t -> t.seq() >= mark && t.agent() >= 0));
        g.host.traceIdle(true);
        try {
            g.board.run(3_000_000);
            assertTrue(g.host.trace().stream().anyMatch(t -> t.seq() >= mark && t.agent() == 1
                    && t.number() == Sysno.NANOSLEEP.number));
        } finally {
            g.host.traceIdle(false);
        }
    }

    @Test
    void aBudgetOverrunNamesTheCallTheAgentAndTheBudget() {
        Sys sys = g.host.sys();
        int fd = (int) sys.socket(0, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
        sys.bind(0, fd, "0.0.0.0", 9000).orThrow();
        sys.listen(0, fd, 1).orThrow();
        long t0 = g.board.clock().ticks();
        PendingCall accept = g.host.submit(0, Syscall.accept(fd));
        AgentTimeoutException e = assertThrows(AgentTimeoutException.class,
                () -> accept.await(Budget.virtualMillis(50)));
        assertEquals(0, e.agent());
        assertEquals(Syscall.accept(fd), e.call());
        assertEquals("agent 0: accept(3, <out 16 bytes>, <inout 4 bytes>) did not complete within the budget of"
                + " 50 ms virtual", e.getMessage().substring(0, e.getMessage().indexOf(" (ran")));
        assertTrue(e.getMessage().contains("in flight since instruction"), e.getMessage());
        assertEquals(t0 + VirtualClock.ticksFromNanos(50_000_000), g.board.clock().ticks(), "stopped at the deadline");
        assertFalse(accept.isDone(), "still in flight after the timeout");

        AgentTimeoutException byCount = assertThrows(AgentTimeoutException.class,
                () -> accept.await(Budget.instructions(20_000)));
        assertTrue(byCount.getMessage().contains("within the budget of 20000 instructions (ran 20000 instructions"),
                byCount.getMessage());
    }

    @Test
    void waitingForAnAgentThatNeverSaysHelloTimesOut() {
        AgentTimeoutException e = assertThrows(AgentTimeoutException.class,
                () -> g.host.awaitHello(Budget.virtualMillis(30), 5));
        assertTrue(e.getMessage().startsWith("agent 5: HELLO did not complete within the budget of 30 ms virtual"),
                e.getMessage());
        PendingCall p = g.host.submit(5, Syscall.getpid());
        AgentTimeoutException q = assertThrows(AgentTimeoutException.class, () -> p.await(Budget.virtualMillis(30)));
        assertTrue(q.getMessage().endsWith("it is queued, but agent 5 has not said HELLO"), q.getMessage());
    }

    @Test
    void callsTooBigForTheBufferAreRefusedAtSubmit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> g.host.submit(0, Syscall.send(3, new byte[20_000], 0)));
        assertTrue(e.getMessage().contains("needs 20000 bytes of buffer; the agent has 16384"), e.getMessage());
    }

    @Test
    void anAgentToldToExitLeaves() {
        g.host.requestExit(1, 0);
        g.board.run(3_000_000);
        assertTrue(g.host.info(1).exitSent());
        assertThrows(IllegalStateException.class, () -> g.host.submit(1, Syscall.getpid()));
        assertEquals(6, g.host.call(0, Syscall.getpid()), "agent 0 carries on");
    }

    @Test
    void bothAgentsCanHaveCallsInFlightAtOnce() {
        PendingCall a = g.host.submit(0, Syscall.nanosleep(200_000_000L));
        PendingCall b = g.host.submit(1, Syscall.nanosleep(100_000_000L));
        long start = g.board.clock().nanos();
        SyscallResult rb = b.await();
        assertEquals(PendingCall.Phase.IN_FLIGHT, a.phase(), "agent 0 still sleeps");
        SyscallResult ra = a.await();
        assertEquals(0, ra.value());
        assertEquals(0, rb.value());
        assertTrue(rb.reportedAt() < ra.reportedAt());
        long elapsed = g.board.clock().nanos() - start;
        assertTrue(elapsed >= 198_000_000L && elapsed < 300_000_000L, "slept side by side: " + elapsed + " ns");
    }

    /** Runs to a fixed instruction after a wait that may time out; returns (ticks, trace hash) there. */
    static String afterTimeout(long budgetMillis) {
        g.board.restore(ready);
        PendingCall p = g.host.submit(0, Syscall.nanosleep(900_000_000L));
        assertThrows(AgentTimeoutException.class, () -> p.await(Budget.virtualMillis(budgetMillis)));
        g.board.run(ready.instructions() + 300_000 - g.board.clock().instructions());
        assertTrue(p.isDone());
        return g.board.clock().instructions() + " " + g.board.clock().ticks() + " " + g.board.trace().hex();
    }

    @Test
    void aTimedOutWaitReplaysTheSameWay() {
        String first = afterTimeout(55);
        assertEquals(first, afterTimeout(55));
    }

    @Test
    void theTraceIsBounded() {
        g.host.traceCapacity(3);
        try {
            for (int i = 0; i < 8; i++) {
                g.host.call(i % 2, Syscall.getpid());
            }
            List<TracedSyscall> t = g.host.trace();
            assertEquals(3, t.size());
            assertEquals(g.host.tracedCount() - 1, t.get(2).seq(), "the latest are kept");
            assertEquals(List.of(6L, 7L), List.of(t.get(1).result(), t.get(2).result()));
        } finally {
            g.host.traceCapacity(AgentHost.DEFAULT_TRACE_CAPACITY);
        }
    }
}
