package dev.wirelab.emulator.agent;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.VirtMemoryMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The protocol's register contract, lab call by lab call, on a bare board: a
 * run of {@code svc #0x574c} instructions, registers set by the test before
 * each one (the interceptor sees an EL1 svc the same way as an EL0 one).
 */
class ProtocolTest {
    static final long CODE = VirtMemoryMap.RAM_BASE;
    static final long BUF = VirtMemoryMap.RAM_BASE + 0x10000;
    static final int SVC_LAB = 0xd4000001 | AgentHost.LAB_CALL_IMM << 5;

    Board board;
    AgentHost host;

    @BeforeEach
    void setUp() {
        board = Board.create(BoardConfig.defaults().withRamSize(16L << 20));
        host = AgentHost.attach(board);
        ByteBuffer code = ByteBuffer.allocate(4 * 64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 64; i++) {
            code.putInt(SVC_LAB);
        }
        board.loadBytes(CODE, code.array());
        board.resetCpu(CODE, 0);
    }

    @AfterEach
    void tearDown() {
        board.close();
    }

    /** Makes one lab call with x0..x4 and returns x0..x7 as the host left them. */
    long[] lab(long... x) {
        for (int i = 0; i < 8; i++) {
            board.setX(i, i < x.length ? x[i] : 0);
        }
        long pc = board.pc();
        board.run(1);
        assertEquals(pc + 4, board.pc(), "the lab call was consumed and the agent resumes after it");
        long[] out = new long[8];
        for (int i = 0; i < 8; i++) {
            out[i] = board.x(i);
        }
        return out;
    }

    @Test
    void helloIsCheckedThenWorkIsHandedOutAndReported() {
        assertEquals(-93, lab(1, 0, BUF, 4096, 2)[0], "protocol version 2: EPROTONOSUPPORT");
        assertEquals(-22, lab(1, 0, BUF + 8, 4096, 1)[0], "buffer not page aligned");
        assertEquals(-22, lab(1, 0, BUF, 0, 1)[0], "empty buffer");
        assertEquals(-22, lab(1, 99, BUF, 4096, 1)[0], "agent id out of range");
        assertEquals(-22, lab(2, 1, 0, 0, 0)[0], "GET_WORK before HELLO");
        assertEquals(0, lab(1, 0, BUF, 4096, 1)[0]);
        assertEquals(new AgentHost.AgentInfo(0, BUF, 4096, 1, 0, null, false), host.info(0));

        long[] idle = lab(2, 0);
        assertEquals(0, idle[0], "IDLE");
        assertEquals(AgentHost.DEFAULT_IDLE_NANOS, idle[1]);

        byte[] hi = "hi there".getBytes(StandardCharsets.US_ASCII);
        PendingCall send = host.submit(0, Syscall.sendto(5, hi, 0x40, SockAddr.of("10.0.2.2", 53)));
        long[] work = lab(2, 0);
        assertEquals(1, work[0], "SYSCALL");
        assertEquals(206, work[1]);
        assertArrayEquals(new long[] {5, BUF, hi.length, 0x40, BUF + 16, 16}, java.util.Arrays.copyOfRange(work, 2, 8));
        assertArrayEquals(hi, board.readVirtual(BUF, hi.length), "payload written before the answer");
        assertArrayEquals(SockAddr.of("10.0.2.2", 53).encode(), board.readVirtual(BUF + 16, 16));
        assertEquals(PendingCall.Phase.IN_FLIGHT, send.phase());

        assertEquals(-22, lab(3, 0, 207, 8)[0], "REPORT of another syscall than the one in flight");
        assertEquals(0, lab(3, 0, 206, hi.length)[0]);
        assertEquals(hi.length, send.result().value());

        PendingCall recv = host.submit(0, Syscall.recvfrom(5, 100, 0));
        long[] w2 = lab(2, 0);
        assertEquals(207, w2[1]);
        assertEquals(BUF, w2[3]);
        assertEquals(BUF + 112, w2[6], "sockaddr region after the 100-byte data region, 16-aligned");
        board.writeVirtual(BUF, "hello".getBytes(StandardCharsets.US_ASCII));      // what the guest kernel would do
        board.writeVirtual(BUF + 112, SockAddr.of("10.0.2.2", 53).encode());
        lab(3, 0, 207, 5);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), recv.result().data(), "exactly the bytes received");
        assertEquals(SockAddr.of("10.0.2.2", 53), recv.result().source());
        assertEquals(16, Syscall.le32(recv.result().outputs().get(2)), "addrlen read back");

        PendingCall lost = host.submit(0, Syscall.getpid());
        lab(2, 0);
        assertEquals(0, lab(1, 0, BUF, 4096, 1)[0], "the agent restarted");
        assertEquals(PendingCall.Phase.FAILED, lost.phase());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(AgentException.class, lost::result).getMessage()
                .contains("HELLO again"));

        host.requestExit(0, 3);
        long[] exit = lab(2, 0);
        assertEquals(2, exit[0], "EXIT");
        assertEquals(3, exit[1]);
        assertEquals(-22, lab(7, 0)[0], "unknown operation");
        assertEquals(4, host.protocolErrors(), "bad id, GET_WORK before HELLO, wrong REPORT, unknown op");
        assertEquals(java.util.List.of("lab call 1 from agent id 99, outside 0..63", "agent 1: GET_WORK before HELLO",
                        "agent 0: REPORT of syscall 207 = 8 with sendto(5, <in 8 bytes>, 8, 64, <in 16 bytes>, 16) in flight",
                        "agent 0: unknown lab call operation 7"),
                board.guestLog().entries().stream().filter(e -> e.device().equals("lab-agent")).map(e -> e.message()).toList());
    }
}
