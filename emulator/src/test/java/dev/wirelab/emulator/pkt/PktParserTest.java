package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.pkt.PktEvent.Direction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One test per construct of the .pkt grammar, and malformed input. */
class PktParserTest {
    private static List<PktEvent> events(String text) {
        return PktParser.parse("t.pkt", text).events();
    }

    private static PktEvent one(String text) {
        List<PktEvent> e = events(text);
        assertEquals(1, e.size(), e.toString());
        return e.get(0);
    }

    private static PktSyntaxError bad(String text) {
        return assertThrows(PktSyntaxError.class, () -> PktParser.parse("bad.pkt", text));
    }

    @Test
    void timesAbsoluteRelativeAnyAndRanges() {
        List<PktEvent> e = events("""
                0 > S 0:0(0)
                +.1 > S 0:0(0)
                +0.25 > S 0:0(0)
                * > S 0:0(0)
                1.5~2 > S 0:0(0)
                +0~+0.2 > S 0:0(0)
                """);
        assertEquals(new EventTime(EventTime.Kind.ABSOLUTE, 0, 0), e.get(0).time());
        assertEquals(new EventTime(EventTime.Kind.RELATIVE, 100_000, 100_000), e.get(1).time());
        assertEquals(250_000, e.get(2).time().startUsecs());
        assertEquals(EventTime.Kind.ANY, e.get(3).time().kind());
        assertEquals(new EventTime(EventTime.Kind.ABSOLUTE_RANGE, 1_500_000, 2_000_000), e.get(4).time());
        assertEquals(new EventTime(EventTime.Kind.RELATIVE_RANGE, 0, 200_000), e.get(5).time());
        assertEquals(List.of(1, 2, 3, 4, 5, 6), e.stream().map(PktEvent::line).toList());
    }

    @Test
    void inboundSynWithOptions() {
        var p = assertInstanceOf(PktEvent.TcpPacket.class,
                one("+.1 < S 0:0(0) win 32792 <mss 1000,sackOK,TS val 100 ecr 0,nop,wscale 7,eol>"));
        assertEquals(Direction.INBOUND, p.direction());
        assertEquals("S", p.flags());
        assertEquals(32792L, p.win());
        assertNull(p.ack());
        assertEquals(List.of(new TcpOpt.Mss(1000), new TcpOpt.SackOk(), new TcpOpt.Timestamp(100, 0), new TcpOpt.Nop(),
                new TcpOpt.WScale(7), new TcpOpt.Eol()), p.options());
    }

    @Test
    void outboundDataAckAndSackBlocks() {
        var p = assertInstanceOf(PktEvent.TcpPacket.class, one("+0 > P. 1:2001(2000) ack 1 <nop,nop,sack 3001:4001 5001:6001>"));
        assertEquals("P.", p.flags());
        assertEquals(1, p.seqStart());
        assertEquals(2001, p.seqEnd());
        assertEquals(2000, p.len());
        assertEquals(1L, p.ack());
        assertEquals(new TcpOpt.Sack(List.of(new TcpOpt.Sack.Block(3001, 4001), new TcpOpt.Sack.Block(5001, 6001))),
                p.options().get(2));
    }

    @Test
    void flagsDotDashAndWildcardOptions() {
        var e = events("0 > . 1:1(0) ack 1 <...>\n0 < - 1:1(0) win 0\n0 < R. 1:1(0) ack 1 win 0\n0 < F. 1:1(0) ack 1 win 257 urg 3");
        var a = (PktEvent.TcpPacket) e.get(0);
        assertEquals(".", a.flags());
        assertNull(a.options(), "<...> matches any options");
        assertEquals("", ((PktEvent.TcpPacket) e.get(1)).flags());
        assertEquals("R.", ((PktEvent.TcpPacket) e.get(2)).flags());
        assertEquals(3L, ((PktEvent.TcpPacket) e.get(3)).urg());
    }

    @Test
    void syscallsWithEllipsisErrnoAndNotes() {
        var e = events("""
                0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3
                +0 setsockopt(3, SOL_SOCKET, SO_REUSEADDR, [1], 4) = 0
                +0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0
                +0 read(4, ..., 1000) = -1 EAGAIN (Resource temporarily unavailable)
                +0 connect(3, ..., ...) = -1 EINPROGRESS (Operation now in progress)
                +0 write(4, "hello" "world"..., 10) = 10
                """);
        var s = (PktEvent.Syscall) e.get(0);
        assertEquals("socket", s.name());
        assertEquals(List.of(new Expr.Ellipsis(), new Expr.Word("SOCK_STREAM"), new Expr.Word("IPPROTO_TCP")), s.args());
        assertEquals(new Expr.Num(3), s.result());
        assertNull(s.errno());
        assertEquals(new Expr.Group(List.of(new Expr.Num(1)), false), ((PktEvent.Syscall) e.get(1)).args().get(3));
        assertEquals(new Expr.Or(new Expr.Word("O_RDWR"), new Expr.Word("O_NONBLOCK")), ((PktEvent.Syscall) e.get(2)).args().get(2));
        var r = (PktEvent.Syscall) e.get(3);
        assertEquals(new Expr.Num(-1), r.result());
        assertEquals("EAGAIN", r.errno());
        assertEquals("Resource temporarily unavailable", r.note());
        assertEquals(new Expr.Str("helloworld", true), ((PktEvent.Syscall) e.get(5)).args().get(1));
    }

    @Test
    void blockingCallEndTime() {
        var s = (PktEvent.Syscall) one("+0...0.200 accept(3, ..., ...) = 4");
        assertEquals(EventTime.Kind.RELATIVE, s.time().kind());
        assertEquals(0, s.time().startUsecs());
        assertEquals(200_000L, s.endUsecs());
        assertNull(((PktEvent.Syscall) one("0 close(3) = 0")).endUsecs());
    }

    @Test
    void structsAndCalls() {
        var s = (PktEvent.Syscall) one("+0 connect(3, {sa_family=AF_INET, sin_port=htons(8080), "
                + "sin_addr=inet_addr(\"192.0.2.1\")}, 16) = 0");
        var g = assertInstanceOf(Expr.Group.class, s.args().get(1));
        assertTrue(g.braces());
        assertEquals(new Expr.Assign(new Expr.Word("sin_port"), new Expr.Call("htons", List.of(new Expr.Num(8080)))),
                g.items().get(1));
        var poll = (PktEvent.Syscall) one("+0 poll([{fd=4, events=POLLIN|POLLOUT, revents=POLLOUT}], 1, 0) = 1");
        assertEquals(3, poll.args().size());
    }

    @Test
    void shellLinesCodeBlocksAndOptionsAreNodes() {
        PktScript s = PktParser.parse("t.pkt", """
                --tolerance_usecs=10000
                --local_ip=10.0.0.1
                `../common/defaults.sh`
                0 `sysctl -q net.ipv4.tcp_timestamps=0`
                +0 %{ assert tcpi_rto == 1000000 }%
                """);
        assertEquals("10000", s.option("tolerance_usecs"));
        assertEquals("10.0.0.1", s.option("local_ip"));
        var sh = assertInstanceOf(PktEvent.Shell.class, s.events().get(0));
        assertEquals(EventTime.Kind.NONE, sh.time().kind());
        assertEquals("../common/defaults.sh", sh.command());
        assertEquals(4, s.events().get(1).line());
        var code = assertInstanceOf(PktEvent.Code.class, s.events().get(2));
        assertEquals("assert tcpi_rto == 1000000", code.code());
    }

    @Test
    void udpIcmpAndUnknownOptionsAreKeptAsText() {
        var e = events("0 < udp (1472)\n+0 > icmp unreachable port_unreachable [udp (1472)]\n0 < S 0:0(0) win 1 <FO abcd,nop>");
        assertEquals("udp", ((PktEvent.OtherPacket) e.get(0)).kind());
        assertEquals("icmp unreachable port_unreachable [udp (1472)]", ((PktEvent.OtherPacket) e.get(1)).text());
        assertEquals(new TcpOpt.Other("FO abcd"), ((PktEvent.TcpPacket) e.get(2)).options().get(0));
    }

    @Test
    void commentsAreSkipped() {
        var e = events("// c++ comment\n/* a\n block */ 0 > S 0:0(0) // trailing\n");
        assertEquals(3, e.get(0).line());
    }

    @Test
    void malformedInputNamesFileLineAndColumn() {
        assertEquals("bad.pkt:2:6: expected TCP flags (S, S., ., P., F., R, -), found '1'",
                bad("0 > S 0:0(0)\n+0 < 1:1(0)").getMessage());
        assertEquals("bad.pkt:1:8: inconsistent payload size: 0:10(5)", bad("0 > S. 0:10(5)").getMessage());
        assertEquals("bad.pkt:1:1: event time * can only be used with outbound packets", bad("* < S 0:0(0)").getMessage());
        assertEquals("bad.pkt:1:1: an event time range can only be used with outbound packets",
                bad("0~1 close(3) = 0").getMessage());
        assertEquals("bad.pkt:1:3: expected a packet ('<' or '>'), a syscall, a `shell command` or %{ code }% after the time, found '='",
                bad("0 = 3").getMessage());
        assertEquals("bad.pkt:1:11: expected '=' after close(...): every syscall says its result, e.g. = 0, found end of file",
                bad("0 close(3)").getMessage());
        assertEquals("bad.pkt:1:3: unterminated string: add the closing \"", bad("0 \"abc").getMessage());
        assertEquals("bad.pkt:1:5: unknown TCP flag 'X' in SX (flags are F S R P U E W A and . for ACK)",
                bad("0 < SX 0:0(0)").getMessage());
        assertEquals("bad.pkt:1:14: <...> for TCP options can only be used with outbound packets",
                bad("0 < S 0:0(0) <...>").getMessage());
        assertEquals("bad.pkt:1:1: time range is backwards", bad("2~1 > S 0:0(0)").getMessage());
    }

    /**
     * A check run by hand against packetdrill's public scripts (not committed):
     * {@code -Dpkt.corpus=DIR} parses every .pkt under DIR and prints how many parse.
     */
    @Test
    @EnabledIfSystemProperty(named = "pkt.corpus", matches = ".+")
    void packetdrillPublicScriptsParse() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of(System.getProperty("pkt.corpus")))) {
            files = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        List<String> failed = new ArrayList<>();
        for (Path f : files) {
            try {
                PktParser.parse(f.toString(), Files.readString(f));
            } catch (PktSyntaxError e) {
                failed.add(e.getMessage());
            }
        }
        System.out.println("pkt corpus: " + (files.size() - failed.size()) + " of " + files.size() + " parse");
        failed.forEach(m -> System.out.println("  " + m));
        assertTrue(files.size() > 0);
    }
}
