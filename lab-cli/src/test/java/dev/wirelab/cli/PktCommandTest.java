package dev.wirelab.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code wirelab run FILE.pkt} and {@code wirelab pkt2groovy}: exit codes, packetdrill-style lines, a Groovy twin that passes. */
class PktCommandTest {
    static final Path CORPUS = Path.of(System.getProperty("wirelab.root", "..")).resolve("corpora").resolve("pkt");

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void corpusScriptPassesWithTheSameTraceEachTime() {
        Cli.Result r = Cli.run("run", CORPUS.resolve("handshake.pkt").toString(), "--trace-hash");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("ok: ") && r.out().contains("handshake.pkt: 9 events passed"), r.toString());
        String hash = r.out().lines().filter(l -> l.startsWith("trace-hash: ")).findFirst().orElseThrow();
        assertTrue(Cli.run("run", CORPUS.resolve("handshake.pkt").toString(), "--trace-hash").out().contains(hash));
    }

    @Test
    void wrongExpectationExitsOneNamingTheLine() throws IOException {
        String text = Files.readString(CORPUS.resolve("handshake.pkt")).replace("ack 1 win 23360", "ack 1 win 1000");
        Path p = write("wrong.pkt", text);
        Path pcap = dir.resolve("wrong.pcapng");
        Cli.Result r = Cli.run("run", p.toString(), "--capture", pcap.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("capture: " + pcap + " ("), r.toString());
        assertTrue(Files.exists(pcap), "the capture of the failing run is kept");
        assertTrue(r.errLines().get(0).equals(p + ":13: error handling packet: live packet field window"), r.toString());
        assertTrue(r.err().contains("script packet: +0 > S. 0:0(0) ack 1 win 1000 <mss 1460>"), r.toString());
    }

    @Test
    void malformedAndUnsupportedScriptsExitTwoWithOneLine() throws IOException {
        Path bad = write("bad.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n+0 < S 0:0(0\n");
        Cli.Result r = Cli.run("run", bad.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(java.util.List.of(bad + ":3:1: expected ')' after the payload length, found end of file"), r.errLines());

        Path shell = write("shell.pkt", "`sysctl -w net.ipv4.tcp_sack=0`\n0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n");
        r = Cli.run("run", shell.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("unsupported at " + shell + ":1: shell command"), r.toString());
        r = Cli.run("run", shell.toString(), "--ignore-shell");
        assertEquals(0, r.code(), r.toString());

        r = Cli.run("run", shell.toString(), "--tolerance-usecs", "-5");
        assertEquals(2, r.code(), r.toString());
        // the one argument is the guest: a bad one is bad input, and so are two
        for (String guest : List.of("extra", "zoo:nope")) {
            r = Cli.run("run", CORPUS.resolve("handshake.pkt").toString(), guest);
            assertEquals(2, r.code(), r.toString());
            assertEquals(1, r.errLines().size(), r.toString());
            assertTrue(r.err().contains(guest.replace("zoo:", "")), r.toString());
        }
        r = Cli.run("run", CORPUS.resolve("handshake.pkt").toString(), "default", "zoo:smoltcp-1048");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("at most one argument, the guest"), r.toString());
    }

    /**
     * What the default guest lacks is refused up front, one line naming it: fcntl (the guest has none;
     * SOCK_NONBLOCK is how its sockets become non-blocking), ICMP lines (the lab's packetdrill runs TCP
     * and udp (LEN)), a UDP line with anything but a length.
     */
    @Test
    void fcntlAndIcmpAreUnsupportedWithOneLine() throws IOException {
        Path fcntl = write("fcntl.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                + "+0 fcntl(3, F_SETFL, O_RDWR|O_NONBLOCK) = 0\n");
        Cli.Result r = Cli.run("run", fcntl.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(List.of("unsupported at " + fcntl + ":2: the syscall fcntl (the default guest has no fcntl: "
                + "SOCK_NONBLOCK in socket() or accept4() makes a socket non-blocking)"), r.errLines());
        Path icmp = write("icmp.pkt", "0 socket(..., SOCK_STREAM, IPPROTO_TCP) = 3\n"
                + "+0 < icmp unreachable frag_needed mtu 1200 [1:1461(1460)]\n");
        r = Cli.run("run", icmp.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("unsupported at " + icmp + ":2: icmp packets"), r.toString());
        Path udpPorts = write("udp.pkt", "0 socket(..., SOCK_DGRAM, IPPROTO_UDP) = 3\n+0 < udp (1472) ttl 3\n");
        r = Cli.run("run", udpPorts.toString());
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.errLines().get(0).startsWith("unsupported at " + udpPorts + ":2: udp packets"), r.toString());
    }

    @Test
    void aWrongPollReventsFailsNamingTheLine() throws IOException {
        Path p = write("poll.pkt", Files.readString(CORPUS.resolve("poll.pkt"))
                .replace("events=POLLIN|POLLOUT, revents=POLLOUT", "events=POLLIN|POLLOUT, revents=POLLIN"));
        Cli.Result r = Cli.run("run", p.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.errLines().get(0).startsWith(p + ":13: runtime error in poll call: Expected revents POLLIN (0x1) "
                + "for fd 4 but got 0x4"), r.toString());
    }

    @TestFactory
    Stream<DynamicTest> pkt2groovyWritesScriptsThatPassToo() throws IOException {
        List<Path> scripts;
        try (Stream<Path> s = Files.list(CORPUS)) {
            scripts = s.filter(p -> p.toString().endsWith(".pkt")).sorted().toList();
        }
        return scripts.stream().map(pkt -> DynamicTest.dynamicTest(pkt.getFileName().toString(), () -> {
            Path out = dir.resolve(pkt.getFileName().toString().replace(".pkt", ".groovy"));
            Cli.Result r = Cli.run("pkt2groovy", pkt.toString(), "-o", out.toString());
            assertEquals(0, r.code(), r.toString());
            Cli.Result run = Cli.run("run", out.toString());
            assertEquals(0, run.code(), run + "\n" + Files.readString(out));
        }));
    }

    @Test
    void groovyScriptsRunPktFilesThroughTheLab() throws IOException {
        Path pkt = write("hs.pkt", Files.readString(CORPUS.resolve("handshake.pkt")));
        Path ok = write("ok.groovy", "lab.boot()\nlab.pkt('" + pkt + "')\nprintln lab.conn\n");
        Cli.Result r = Cli.run("run", ok.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("conn 40000<->8080: snd.una 1 snd.nxt 1 rcv.nxt 1"), r.toString());

        Path wrong = write("wrong.pkt", Files.readString(pkt).replace("<mss 1460>", "<mss 536>"));
        Path bad = write("bad.groovy", "lab.boot()\nlab.pkt('" + wrong + "')\n");
        r = Cli.run("run", bad.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains(wrong + ":13: error handling packet: live packet field options"), r.toString());
    }
}
