package dev.wirelab.emulator.agent;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bytes the host writes into agent buffers, and the decoding of what comes back. */
class EncodingTest {
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void sockaddrInIsLinuxLayout() {
        SockAddr a = SockAddr.of("10.0.2.15", 9000);
        assertArrayEquals(hex("0200 2328 0a00020f 0000000000000000"), a.encode());
        assertEquals(a, SockAddr.decode(a.encode()));
        assertEquals("10.0.2.15:9000", a.toString());
        assertNull(SockAddr.decode(hex("0a00 2328 0a00020f")), "not AF_INET");
        for (String bad : List.of("10.0.2", "10.0.2.256", "a.b.c.d", "10..2.15", "1.2.3.4.5")) {
            assertThrows(IllegalArgumentException.class, () -> SockAddr.of(bad, 1), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> SockAddr.of("1.2.3.4", 65536));
    }

    @Test
    void timespecPollfdAndSocklen() {
        assertArrayEquals(hex("0100000000000000 00e1f50500000000"), Syscall.timespec(1_100_000_000L));
        assertArrayEquals(hex("03000000 0100 0000 04000000 0400 1000"),
                PollFd.encode(List.of(PollFd.of(3, 1), new PollFd(4, 4, 0x10))));
        assertEquals(List.of(new PollFd(3, 1, 0), new PollFd(4, 4, 0x10)),
                PollFd.decode(hex("03000000 0100 0000 04000000 0400 1000")));
        assertArrayEquals(hex("10000000"), Syscall.le32(16));
        assertEquals(16, Syscall.le32(hex("10000000")));
    }

    @Test
    void errnoDecoding() {
        assertEquals(Errno.ECONNREFUSED, Errno.ofResult(-111));
        assertEquals(Errno.EBADF, Errno.ofResult(-9));
        assertNull(Errno.ofResult(3));
        assertNull(Errno.ofResult(-77), "not in the table");
        assertEquals("errno 77", Errno.nameOf(-77));
        assertNull(Errno.nameOf(0));
        assertFalse(Errno.isError(-4096));
        assertTrue(Errno.isError(-4095));
    }

    @Test
    void callsDescribeTheirShapeAndBufferNeeds() {
        Syscall accept = Syscall.accept(3);
        assertEquals(202, accept.number());
        assertEquals("accept(3, <out 16 bytes>, <inout 4 bytes>)", accept.toString());
        assertEquals(16 + 4, accept.bufferBytes());
        assertEquals(Syscall.of(172), Syscall.getpid());
        assertEquals("syscall_999(1)", Syscall.of(999, 1).toString());
        Syscall sendto = Syscall.sendto(4, new byte[17], 0, SockAddr.of("10.0.2.2", 53));
        assertEquals(32 + 16, sendto.bufferBytes(), "regions are 16-byte aligned");
        assertEquals(Syscall.send(4, new byte[] {1, 2}, 0), Syscall.send(4, new byte[] {1, 2}, 0));
        assertThrows(IllegalArgumentException.class, () -> Syscall.of(1, 1, 2, 3, 4, 5, 6, 7));
        Syscall poll = Syscall.ppoll(List.of(PollFd.of(3, 1)), -1);
        assertEquals("ppoll(<inout 8 bytes>, 1, 0, 0, 8)", poll.toString(), "no timeout: NULL");
    }

    @Test
    void resultsDecodeTheirOutputs() {
        Syscall accept = Syscall.accept(3);
        SyscallResult ok = new SyscallResult(0, accept, 4,
                List.of(SockAddr.of("10.0.2.15", 50000).encode(), Syscall.le32(16)), 10, 20);
        assertEquals(SockAddr.of("10.0.2.15", 50000), ok.address());
        assertEquals(4, ok.orThrow());
        SyscallResult refused = new SyscallResult(1, Syscall.connect(3, SockAddr.of("10.0.2.15", 1)), -111,
                List.of(), 10, 20);
        assertEquals(Errno.ECONNREFUSED, refused.errno());
        AgentException e = assertThrows(AgentException.class, refused::orThrow);
        assertEquals("agent 1: connect(3, <in 16 bytes>, 16) failed: -111 (ECONNREFUSED)", e.getMessage());
    }

    @Test
    void selfLoopbackPicksOnlyFramesForTheGuestItself() {
        byte[] mac = hex("525400123456");
        byte[] toSelf = hex("525400123456 525400123456 0800 4500");
        byte[] toGateway = hex("525500000002 525400123456 0800 4500");
        String arp = "ffffffffffff 525400123456 0806 0001 0800 06 04 0001 525400123456 %s 000000000000 %s";
        byte[] arpForSelf = hex(String.format(arp, "0a00020f", "0a00020f"));
        byte[] arpForGateway = hex(String.format(arp, "0a00020f", "0a000202"));
        assertTrue(SelfLoopback.selfAddressed(toSelf, mac));
        assertFalse(SelfLoopback.selfAddressed(toGateway, mac));
        assertTrue(SelfLoopback.selfAddressed(arpForSelf, mac));
        assertFalse(SelfLoopback.selfAddressed(arpForGateway, mac));
        assertFalse(SelfLoopback.selfAddressed(new byte[5], mac));
    }

    @Test
    void budgetsDescribeThemselves() {
        assertEquals("50 ms virtual", Budget.virtualMillis(50).toString());
        assertEquals("20000 instructions", Budget.instructions(20_000).toString());
        assertEquals("1000 instructions / 2 s virtual", new Budget(1000, 2_000_000_000L).toString());
        assertThrows(IllegalArgumentException.class, () -> Budget.instructions(0));
    }
}
