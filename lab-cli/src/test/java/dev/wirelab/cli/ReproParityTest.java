package dev.wirelab.cli;

import static dev.wirelab.emulator.wire.TcpFlags.ACK;
import static dev.wirelab.emulator.wire.TcpFlags.PSH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.Seeds;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.finding.ReproScript;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The repro generator replays what the executor did: for every seed of every tcp-* target the
 * generated repro, run through {@code wirelab run}, gives the executor's verdict (exit 0 without a
 * finding; a seed without a finding is rendered with the panic oracle's check, so a repro that does
 * not even run exits 2 and fails here), and for the zoo bugs whose shapes are single inputs the repro
 * exits 1 on the zoo guest and 0 on the default guest ({@code wirelab run repro.groovy default}).
 */
class ReproParityTest {
    private static final String HEX = "0".repeat(64);
    private static final Map<StreamTarget, FuzzLab> DEFAULT = new EnumMap<>(StreamTarget.class);

    @TempDir
    Path dir;

    @AfterAll
    static void close() {
        DEFAULT.values().forEach(FuzzLab::close);
    }

    static Stream<Arguments> seeds() {
        List<Arguments> l = new ArrayList<>();
        for (StreamTarget t : StreamTarget.values()) {
            Seeds.forTarget(t).keySet().forEach(n -> l.add(Arguments.of(t, n)));
        }
        return l.stream();
    }

    @ParameterizedTest(name = "{0} seed-{1}")
    @MethodSource("seeds")
    void everySeedsReproGivesTheExecutorsVerdictOnTheDefaultGuest(StreamTarget t, String name) throws IOException {
        FuzzLab lab = DEFAULT.computeIfAbsent(t, x -> FuzzLab.open(GuestProfile.defaultGuest(), x,
                ExecSettings.defaults()));
        Execution e = lab.execute(Seeds.forTarget(t).get(name));
        Optional<Finding> f = Oracles.standard(lab.profile()).check(e, lab.lab());
        Path repro = write(lab, f.orElse(new Finding("panic", "parity check: no finding", "")), e);
        Cli.Result r = Cli.run("run", repro.toString());
        assertEquals(f.isPresent() ? 1 : 0, r.code(), f + "\n" + r + "\n" + Files.readString(repro));
    }

    static Stream<Arguments> zoo() {
        FuzzInput pastEdge = FuzzInput.of(StreamTarget.TCP_ESTABLISHED, Seeds.windowFill(), new AppRead(100),
                Segment.of(ACK | PSH, Rel.windowEdge(0), Rel.guestNext(0), 65535, Payload.of("!")), new Advance(1000));
        return Stream.of(
                Arguments.of("smoltcp-1048", pastEdge),
                Arguments.of("smoltcp-1136", seed(StreamTarget.TCP_ESTABLISHED, "sack-inverted-block")),
                Arguments.of("smoltcp-1144", seed(StreamTarget.TCP_LISTEN, "handshake-from-0.0.0.0")),
                Arguments.of("smoltcp-1161", seed(StreamTarget.TCP_LISTEN, "echo-service-tiny-mss")),
                Arguments.of("akuma-deadlock", seed(StreamTarget.TCP_ESTABLISHED, "write-acked")),
                Arguments.of("awkernel-682", seed(StreamTarget.TCP_INTERLEAVE, "two-connects")));
    }

    static FuzzInput seed(StreamTarget t, String name) {
        return Seeds.forTarget(t).get(name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void aZooFindingsReproExits1OnItsGuestAnd0OnTheDefaultGuest(String zoo, FuzzInput input) throws IOException {
        try (FuzzLab lab = FuzzLab.open(GuestProfile.zoo(zoo), input.target(), ExecSettings.defaults())) {
            Execution e = lab.execute(input);
            Finding f = Oracles.standard(lab.profile()).check(e, lab.lab()).orElseThrow();
            Path repro = write(lab, f, e);
            Cli.Result onZoo = Cli.run("run", repro.toString());
            assertEquals(1, onZoo.code(), f + "\n" + onZoo + "\n" + Files.readString(repro));
            Cli.Result onDefault = Cli.run("run", repro.toString(), "default");
            assertEquals(0, onDefault.code(), onDefault.toString());
        }
    }

    /**
     * A campaign's hang on the default guest (a real bug of its socket layer, fixed): the echo service
     * with a peer MSS of 40 spun — ppoll said POLLOUT while every write needed more segments than the
     * queue had left (EAGAIN). Decoded: a SYN with MSS 40, 1459 bytes, then 1456 bytes overlapping by
     * 8, all on connection slot 3 (the guest's echo service). Now the guest cuts each write to the
     * queue's room: no finding. (Hang repros are covered by the zoo's
     * akuma-deadlock above.)
     */
    @Test
    void theEchoServiceNoLongerSpinsOnATinyPeerMss() {
        FuzzInput input = InputDecoder.decode(StreamTarget.TCP_LISTEN, HexFormat.of().parseHex(
                "0018028082ff240100280000001810" + "8082ffff000205b300001818008000" + "8002ff0300"));
        FuzzLab lab = DEFAULT.computeIfAbsent(StreamTarget.TCP_LISTEN, x -> FuzzLab.open(GuestProfile.defaultGuest(), x,
                ExecSettings.defaults()));
        Execution e = lab.execute(input);
        Optional<Finding> f = Oracles.standard(lab.profile()).check(e, lab.lab());
        assertTrue(f.isEmpty(), () -> f.get().toString());
    }

    private Path write(FuzzLab lab, Finding f, Execution e) throws IOException {
        String text = ReproScript.render(lab, f, new ReproScript.Origin("test", HEX, "defaults", HEX),
                WireMonitorOracle.before(e, lab.lab()), e);
        Path p = Files.createTempFile(dir, "repro", ".groovy");
        Files.writeString(p, text);
        return p;
    }
}
