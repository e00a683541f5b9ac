package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Snapshot;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
}
