package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.lab.BadArgument;
import dev.wirelab.emulator.lab.BootedLab;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The executor's failures: packetdrill-style lines naming the script line, and unsupported lines. */
class PktRunnerTest {
    @RegisterExtension
    static final BootedLab BOOTED = new BootedLab();
    static final Lab lab = BOOTED.lab();

    static final String HANDSHAKE = """
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0 bind(3, ..., ...) = 0
               +0 listen(3, 1) = 0
              +.1 < S 0:0(0) win 32792 <mss 1460>
            """;

    private static void run(String text) {
        run(text, PktRunner.Settings.defaults());
    }

    private static void run(String text, PktRunner.Settings settings) {
        PktRunner.run(lab, PktParser.parse("t.pkt", text), settings);
    }

    @Test
    void wrongAckFailsNamingTheLineWithExpectedAndActual() {
        LabFailure f = assertThrows(LabFailure.class, () -> run(HANDSHAKE + "   +0 > S. 0:0(0) ack 2 <mss 1460>\n"));
        assertEquals(LabFailure.Kind.EXPECTATION_FAILED, f.kind());
        assertEquals("t.pkt:5", f.where());
        String m = f.getMessage();
        assertTrue(m.startsWith("t.pkt:5: error handling packet: live packet field ack\n"), m);
        assertTrue(m.contains("expected: tcp sport 8080 dport 40000 flags S. seq 0 ack 2 len 0 options [mss 1460]"), m);
        assertTrue(m.contains("actual:   tcp sport 8080 dport 40000 flags S. seq 0 ack 1 win 23360 len 0 [mss 1460]"), m);
        assertTrue(m.endsWith("script packet: +0 > S. 0:0(0) ack 2 <mss 1460>"), m);
    }

    @Test
    void wrongOptionsFail() {
        LabFailure f = assertThrows(LabFailure.class, () -> run(HANDSHAKE + "   +0 > S. 0:0(0) ack 1 <mss 1000>\n"));
        assertTrue(f.getMessage().contains("live packet field options (expected mss 1000 at option 1, got mss 1460)"),
                f.getMessage());
        BOOTED.reset();
        run(HANDSHAKE + "   +0 > S. 0:0(0) ack 1 <...>\n");
    }

    @Test
    void lateOrEarlyPacketIsATimingError() {
        LabFailure f = assertThrows(LabFailure.class, () -> run(HANDSHAKE + "  +.5 > S. 0:0(0) ack 1 <mss 1460>\n"));
        assertTrue(f.getMessage().startsWith("t.pkt:5: error handling packet: timing error: expected outbound packet at "
                + "0.600"), f.getMessage());
        assertTrue(f.getMessage().contains("but happened at 0.1001"), f.getMessage());
        // 12.5 % of the gap since the previous event, which the guest's own instant ends a few us short of 0.5 s
        assertTrue(f.getMessage().matches("(?s).*; tolerance 0\\.06(249\\d|2500) sec.*"), "12.5 % of the 0.5 s gap: "
                + f.getMessage());
        // the same with a wide enough tolerance passes
        BOOTED.reset();
        run(HANDSHAKE + "  +.5 > S. 0:0(0) ack 1 <mss 1460>\n", PktRunner.Settings.defaults().withToleranceUsecs(600_000));
    }

    @Test
    void wrongSyscallResultFails() {
        LabFailure f = assertThrows(LabFailure.class, () -> run(HANDSHAKE + "   +0 listen(3, 1) = 7\n"));
        assertTrue(f.getMessage().startsWith("t.pkt:5: runtime error in listen call: Expected result 7 but got"),
                f.getMessage());
    }

    @Test
    void errnoResults() {
        run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 read(3, ..., 10) = -1 ENOTCONN (Transport endpoint is not connected)\n");
        BOOTED.reset();
        LabFailure f = assertThrows(LabFailure.class,
                () -> run("0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 read(3, ..., 10) = -1 EAGAIN (Try again)\n"));
        assertTrue(f.getMessage().contains("Expected result -1 with errno EAGAIN but got -1 with errno 107 (ENOTCONN)"),
                f.getMessage());
    }

    @Test
    void unsupportedLinesAreRefusedBeforeAnythingRuns() {
        long before = lab.getInstructions();
        BadArgument b = assertThrows(BadArgument.class, () -> run(HANDSHAKE + "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n"));
        assertTrue(b.getMessage().startsWith("unsupported at t.pkt:5: the syscall fcntl"), b.getMessage());
        assertEquals(before, lab.getInstructions(), "nothing ran");
        b = assertThrows(BadArgument.class, () -> run("0 `sysctl -q net.ipv4.tcp_sack=0`\n"));
        assertEquals("unsupported at t.pkt:1: shell command `sysctl -q net.ipv4.tcp_sack=0` (the lab runs no host "
                + "commands; --ignore-shell skips them)", b.getMessage());
        run("0 `sysctl -q net.ipv4.tcp_sack=0`\n+0 %{ print(1) }%\n", PktRunner.Settings.defaults().withIgnoreShell(true));
        b = assertThrows(BadArgument.class, () -> run("0 < S 0:0(0) win 1 <md5 abcd>\n"));
        assertTrue(b.getMessage().startsWith("unsupported at t.pkt:1: the TCP option md5 abcd"), b.getMessage());
        b = assertThrows(BadArgument.class, () -> run("0 < icmp unreachable port_unreachable\n"));
        assertTrue(b.getMessage().startsWith("unsupported at t.pkt:1: icmp packets"), b.getMessage());
        b = assertThrows(BadArgument.class, () -> run("0 < udp (10) ttl 3\n"));
        assertTrue(b.getMessage().startsWith("unsupported at t.pkt:1: udp packets"), b.getMessage());
    }

    @Test
    void remoteAddressMapsOntoThePeer() {
        run("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
               +0...0.1 connect(3, {sa_family=AF_INET, sin_port=htons(9000), sin_addr=inet_addr("192.0.2.1")}, 16) = 0
               +0 > S 0:0(0) <...>
              +.1 < S. 0:0(0) ack 1 win 5792 <mss 1460>
               +0 > . 1:1(0) ack 1
            """);
    }
}
