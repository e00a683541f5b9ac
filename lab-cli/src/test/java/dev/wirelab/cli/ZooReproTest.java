package dev.wirelab.cli;

import dev.wirelab.emulator.lab.ZooGuests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bug zoo is real: each hand-written repro in corpora/zoo exits 1 on its zoo guest and 0 on the
 * default guest, and every zoo guest still serves ordinary traffic (ping, echo, HTTP) without a panic.
 */
class ZooReproTest {
    static final Path ZOO = Path.of(System.getProperty("wirelab.root", "..")).resolve("corpora/zoo");
    static final List<String> NAMES = List.of("smoltcp-1048", "smoltcp-1136", "smoltcp-1144", "smoltcp-1161",
            "akuma-deadlock", "akuma-torn-state", "awkernel-682", "lwip-2.1.3");

    @TempDir
    Path dir;

    private static Cli.Result run(String script, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "run";
        all[1] = script;
        System.arraycopy(args, 0, all, 2, args.length);
        return Cli.run(all);
    }

    @Test
    void theBuildShipsExactlyTheZoo() {
        assertEquals(NAMES.stream().sorted().toList(), ZooGuests.names());
        for (String n : NAMES) {
            ZooGuests.Entry e = ZooGuests.describe("zoo:" + n);
            assertTrue(e.report().matches("(smoltcp #\\d+|Akuma|awkernel PR #\\d+|lwIP 2\\.1\\.3 \\(found by wirelab\\)).*"), e.report());
            assertTrue(e.details().size() >= 2 && e.details().size() <= 5, n + ": " + e.details());
        }
    }

    @Test
    void anUnknownZooGuestIsBadInputNamingTheKnownOnes() throws IOException {
        Path p = dir.resolve("nope.groovy");
        Files.writeString(p, "boot(image: 'zoo:smoltcp-9999')\n");
        Cli.Result r = run(p.toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.toString());
        assertTrue(r.err().contains("unknown zoo guest 'smoltcp-9999': known: akuma-deadlock, "), r.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"smoltcp-1048", "smoltcp-1136", "smoltcp-1144", "smoltcp-1161",
            "akuma-deadlock", "akuma-torn-state", "awkernel-682", "lwip-2.1.3"})
    void reproFailsOnItsZooGuestAndPassesOnTheDefaultGuest(String name) {
        String script = ZOO.resolve(name + ".groovy").toString();
        Cli.Result zoo = run(script);
        assertEquals(1, zoo.code(), zoo.toString());
        assertTrue(zoo.out().contains("Result: bug reproduced") || zoo.out().contains("Result: guest panicked"),
                zoo.toString());
        Cli.Result fixed = run(script, "default");
        assertEquals(0, fixed.code(), fixed.toString());
    }

    /**
     * A panic that cuts off a blocking {@code sys} call is the bug reproducing (exit 1 with the panic's
     * report), not bad input: the agent never returns because the guest is gone.
     */
    @Test
    void aPanicInsideABlockingSyscallIsTheVerdictNotBadInput() throws IOException {
        Path p = dir.resolve("blocking.groovy");
        Files.writeString(p, """
                boot(image: 'zoo:lwip-2.1.3')
                int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
                sys.bind(0, ls, '0.0.0.0', 9000).orThrow()
                sys.listen(0, ls, 4).orThrow()
                inject tcp(flags: 'S', dport: 9000, seq: 0, mss: 1460)
                expect flags: 'S.', ack: 1, within: ms(10)
                inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1)
                int c = sys.accept(0, ls).orThrow()
                sys.send(0, c, new byte[10]).orThrow()
                expect flags: 'P.', seq: 1, len: 10, within: ms(10)
                sys.send(0, c, new byte[10]).orThrow()
                inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1, mss: 100)
                advance(ms(1))
                sys.send(0, c, new byte[10])   // blocks in tcp_write, which asserts
                println 'not reached'
                """);
        Cli.Result r = run(p.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("Result: guest panicked"), r.toString());
        assertTrue(r.out().contains("inconsistent oversize vs. space (tcp_out.c:504)"), r.toString());
        assertTrue(!r.out().contains("not reached"), r.toString());
    }

    /** zoo:lwip-2.1.3 has three real lwIP bugs; the repro's first part (mss) ends the run, so each alone. */
    @ParameterizedTest
    @ValueSource(strings = {"mss: inconsistent oversize vs. space (tcp_out.c:504)",
            "fin: tcp_receive: tcplen > rcv_wnd (tcp_in.c:1544)",
            "ooseq: tcp_receive: ooseq tcplen > rcv_wnd (tcp_in.c:1580)"})
    void eachLwipBugOfItsReproFailsOnTheZooGuest(String partAndPanic) {
        String part = partAndPanic.substring(0, partAndPanic.indexOf(':'));
        Cli.Result zoo = run(ZOO.resolve("lwip-2.1.3.groovy").toString(), "zoo", part);
        assertEquals(1, zoo.code(), zoo.toString());
        assertTrue(zoo.out().contains("lwIP assertion:" + partAndPanic.substring(part.length() + 1)), zoo.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"smoltcp-1048", "smoltcp-1136", "smoltcp-1144", "smoltcp-1161",
            "akuma-deadlock", "akuma-torn-state", "awkernel-682", "lwip-2.1.3"})
    void zooGuestServesOrdinaryTraffic(String name) throws IOException {
        Path p = dir.resolve("ordinary.groovy");
        Files.writeString(p, """
                boot(image: args[0])
                inject icmp(id: 1, seq: 1, data: 'ping')
                expect proto: 'icmp', within: ms(10)
                inject tcp(flags: 'S', seq: 0, mss: 1460)
                expect flags: 'S.', seq: 0, ack: 1, within: ms(10)
                inject tcp(flags: '.', seq: 1, ack: 1)
                inject tcp(flags: 'P.', seq: 1, ack: 1, data: 'hello, zoo')
                expect seq: 1, data: 'hello, zoo', eventually: true, within: ms(100)
                inject tcp(flags: 'F.', seq: 11, ack: 11)
                expect flags: 'F.', seq: 11, ack: 12, eventually: true, within: ms(100)
                inject tcp(flags: '.', seq: 12, ack: 12)
                inject tcp(flags: 'S', sport: 40001, dport: 80, seq: 0, mss: 1460)
                expect flags: 'S.', sport: 80, dport: 40001, seq: 0, ack: 1, within: ms(10)
                inject tcp(flags: '.', sport: 40001, dport: 80, seq: 1, ack: 1)
                inject tcp(flags: 'P.', sport: 40001, dport: 80, seq: 1, ack: 1, data: 'GET / HTTP/1.0\\r\\n\\r\\n')
                advance(ms(100))
                def http = trace.frames.findAll { it.out && it.packet.tcp()?.sourcePort() == 80 }
                        .collect { new String(it.packet.tcp().payload().toArray(), 'UTF-8') }.join()
                check http.startsWith('HTTP/1.0 200'), "HTTP answer: ${http}"
                check http.endsWith('hello from wirelab-guest\\n'), "HTTP body: ${http}"
                check lab.panic == null, 'no panic'
                println 'ordinary traffic: ok'
                """);
        Cli.Result r = run(p.toString(), "zoo:" + name);
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("ordinary traffic: ok"), r.toString());
    }
}
