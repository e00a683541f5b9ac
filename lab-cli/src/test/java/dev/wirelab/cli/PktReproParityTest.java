package dev.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.finding.PktRepro;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.Source;
import dev.wirelab.fuzz.input.Tick;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --format pkt}: a zoo finding's {@code repro.pkt}, written from the same minimized actions as
 * {@code repro.groovy}, run through {@code wirelab run repro.pkt zoo:NAME} exits 1 (the guest panics
 * at a line of the script) and through {@code wirelab run repro.pkt} (the default guest) exits 0,
 * like the Groovy repro ({@link ReproParityTest}); the zoo findings packetdrill cannot say give no
 * script and one line naming the action or oracle.
 */
class PktReproParityTest {
    @TempDir
    Path dir;

    static Stream<Arguments> sayable() {
        return ReproParityTest.zoo().filter(a -> a.get()[0].equals("smoltcp-1048") || a.get()[0].equals("smoltcp-1136"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sayable")
    void aZooFindingsReproPktExits1OnItsGuestAnd0OnTheDefaultGuest(String zoo, FuzzInput input) throws IOException {
        PktRepro.Outcome o = render(zoo, input);
        String text = assertInstanceOf(PktRepro.Script.class, o, o::toString).text();
        Path repro = dir.resolve("repro.pkt");
        Files.writeString(repro, text);
        Cli.Result onZoo = Cli.run("run", repro.toString(), "zoo:" + zoo);
        assertEquals(1, onZoo.code(), onZoo + "\n" + text);
        assertTrue(onZoo.err().contains("repro.pkt:") && onZoo.err().contains("the guest panicked"), onZoo.toString());
        Cli.Result onDefault = Cli.run("run", repro.toString());
        assertEquals(0, onDefault.code(), onDefault + "\n" + text);
    }

    static Stream<Arguments> seeds() {
        return Stream.of(StreamTarget.TCP_ESTABLISHED, StreamTarget.TCP_LISTEN)
                .flatMap(t -> Seeds.forTarget(t).keySet().stream().map(n -> Arguments.of(t, n)));
    }

    /**
     * Every seed packetdrill can say, written as a .pkt with the panic oracle's condition (no finding on
     * the default guest), passes on the default guest: the setup, segments, calls and times the writer
     * produces are all ones the runner takes; the others give one line.
     */
    @ParameterizedTest(name = "{0} seed-{1}")
    @MethodSource("seeds")
    void everySayableSeedsReproPktPassesOnTheDefaultGuest(StreamTarget t, String name) throws IOException {
        FuzzInput input = Seeds.forTarget(t).get(name);
        PktRepro.Outcome o;
        try (FuzzLab lab = FuzzLab.open(GuestProfile.defaultGuest(), t, ExecSettings.defaults())) {
            Execution e = lab.execute(input);
            o = PktRepro.render(lab, new Finding("panic", "parity check: no finding", ""), WireMonitorOracle.before(e,
                    lab.lab()), e);
        }
        // what .pkt cannot say: ticks, connects, segments from another address, calls on tcp-listen
        boolean sayable = input.actions().stream().noneMatch(a -> a instanceof Tick || a instanceof Connect
                || a instanceof Segment g && g.source() != Source.PEER
                || t == StreamTarget.TCP_LISTEN && !(a instanceof Segment || a instanceof Advance));
        assertEquals(sayable, o instanceof PktRepro.Script, o::toString);
        if (o instanceof PktRepro.Unsayable u) {
            assertTrue(!u.reason().isBlank() && !u.reason().contains("\n"), u.reason());
            return;
        }
        String text = ((PktRepro.Script) o).text();
        Path repro = dir.resolve("repro.pkt");
        Files.writeString(repro, text);
        Cli.Result r = Cli.run("run", repro.toString());
        assertEquals(0, r.code(), r + "\n" + text);
    }

    static Stream<Arguments> unsayable() {
        return Stream.of(
                Arguments.of("smoltcp-1144", "a segment from 0.0.0.0"),
                Arguments.of("smoltcp-1161", "liveness oracle"),
                Arguments.of("akuma-deadlock", "hang oracle"),
                Arguments.of("awkernel-682", "two agents"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsayable")
    void aZooFindingPacketdrillCannotSayGivesOneLineWhy(String zoo, String why) {
        FuzzInput input = (FuzzInput) ReproParityTest.zoo().filter(a -> a.get()[0].equals(zoo)).findFirst().orElseThrow()
                .get()[1];
        PktRepro.Outcome o = render(zoo, input);
        String reason = assertInstanceOf(PktRepro.Unsayable.class, o, o::toString).reason();
        assertTrue(reason.contains(why) && !reason.contains("\n"), reason);
    }

    /** {@code wirelab fuzz --format pkt}: the finding gets repro.pkt instead of repro.groovy, checked on its guest. */
    @Test
    void fuzzFormatPktWritesAReproPktThatReproduces() throws IOException {
        Path out = dir.resolve("out");
        Cli.Result r = Cli.run("fuzz", "--target", "tcp-established", "--guest", "zoo:smoltcp-1136", "--runs", "20",
                "--format", "pkt", "--out", out.toString());
        assertEquals(1, r.code(), r::toString);
        Path finding;
        try (Stream<Path> s = Files.list(out.resolve("findings"))) {
            finding = s.filter(p -> !p.getFileName().toString().startsWith(".")).findFirst().orElseThrow();
        }
        assertTrue(Files.exists(finding.resolve("repro.pkt")) && !Files.exists(finding.resolve("repro.groovy")),
                finding.toString());
        assertTrue(r.out().contains("finding: " + finding + " (repro.pkt reproduces it)"), r::toString);
        String report = Files.readString(finding.resolve("report.txt"));
        assertTrue(report.contains("./wirelab run repro.pkt zoo:smoltcp-1136")
                && report.contains("repro check: ./wirelab run repro.pkt zoo:smoltcp-1136 reproduces (exit 1)"), report);
        Cli.Result fixed = Cli.run("run", finding.resolve("repro.pkt").toString());
        assertEquals(0, fixed.code(), fixed::toString);
    }

    @Test
    void aBadFormatIsBadInput() {
        Cli.Result r = Cli.run("fuzz", "--target", "tcp-established", "--format", "pcap", "--runs", "1", "--out",
                dir.resolve("out").toString());
        assertEquals(2, r.code(), r::toString);
        assertEquals(1, r.errLines().size(), r::toString);
        assertTrue(r.err().contains("--format"), r::toString);
    }

    private static PktRepro.Outcome render(String zoo, FuzzInput input) {
        try (FuzzLab lab = FuzzLab.open(GuestProfile.zoo(zoo), input.target(), ExecSettings.defaults())) {
            Execution e = lab.execute(input);
            Finding f = Oracles.standard(lab.profile()).check(e, lab.lab()).orElseThrow();
            return PktRepro.render(lab, f, WireMonitorOracle.before(e, lab.lab()), e);
        }
    }
}
