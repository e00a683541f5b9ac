package dev.wirelab.fuzz.finding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.emulator.capture.CaptureReader;
import dev.wirelab.emulator.capture.CapturedFrame;
import dev.wirelab.fuzz.BugShapes;
import dev.wirelab.fuzz.EstablishedLab;
import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputDecoder;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.monitor.Invariant;
import dev.wirelab.fuzz.oracle.Finding;
import dev.wirelab.fuzz.oracle.Oracles;
import dev.wirelab.fuzz.oracle.WireMonitorOracle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline on the real default guest: lwIP 2.1.3 accepts a byte past the window it
 * advertised (the #1048 trigger). By default that is a note; a profile that promotes the
 * invariant makes it a finding, stored as a minimized, readable repro with its capture.
 */
class FindingPipelineTest {
    @RegisterExtension
    static final EstablishedLab LAB = new EstablishedLab();

    static FuzzLab lab() {
        return LAB.lab();
    }

    /** The seed, then time for lwIP's delayed ACK (its fast timer runs every 250 ms). */
    static FuzzInput pastTheEdge() {
        FuzzInput seed = BugShapes.windowFillPartialReadPastEdge();
        List<Action> l = new ArrayList<>(seed.actions());
        l.add(new Advance(300_000));
        return new FuzzInput(seed.target(), l);
    }

    @Test
    void byDefaultBytesPastTheWindowAreANoteNotAFinding() {
        WireMonitorOracle monitor = WireMonitorOracle.notesOnly();
        Oracles oracles = Oracles.standard(lab().profile()).with(monitor);
        Execution e = lab().execute(pastTheEdge());
        assertEquals(Optional.empty(), oracles.check(e, lab().lab()));
        List<String> notes = monitor.notes(e, lab().lab());
        assertTrue(notes.stream().anyMatch(n -> n.contains(Invariant.DATA_OUTSIDE_WINDOW.title())), notes::toString);
    }

    @Test
    void aPromotedInvariantBecomesAStoredMinimizedFinding(@TempDir Path out) throws Exception {
        WireMonitorOracle monitor = new WireMonitorOracle(Set.of(Invariant.DATA_OUTSIDE_WINDOW));
        Oracles oracles = Oracles.standard(lab().profile()).with(monitor);
        FuzzInput input = pastTheEdge();
        Finding f = oracles.check(lab().execute(input), lab().lab()).orElseThrow();
        assertEquals("tcp invariant: data accepted outside the advertised window", f.title());

        FindingPipeline p = new FindingPipeline(lab(), oracles, monitor, FindingStore.open(out),
                ExecSettings.defaults(), "test");
        Path dir = p.handle(input, f).orElseThrow();
        assertEquals(Optional.empty(), p.handle(input, f), "the same title is stored once");

        FuzzInput small = InputDecoder.decode(StreamTarget.TCP_ESTABLISHED, Files.readAllBytes(dir.resolve("input.bin")));
        assertTrue(small.actions().size() <= input.actions().size(), small::toString);
        assertEquals(f.title(), oracles.check(lab().execute(small), lab().lab()).orElseThrow().title(),
                "input.bin replays to the same finding");

        String repro = Files.readString(dir.resolve("repro.groovy"));
        System.out.println(repro);
        assertTrue(repro.startsWith("// wirelab-repro: 1\n// title: " + f.title() + "\n// made-with: wirelab test\n"
                + "// guest: default sha256="), repro);
        assertTrue(repro.matches("(?s).*// trace-hash: [0-9a-f]{64}\n.*"), repro);
        assertTrue(repro.contains("inject tcp(flags: '"), repro);
        assertTrue(repro.contains("check !lab.trace.frames.any"), repro);

        List<CapturedFrame> frames = CaptureReader.read(dir.resolve("capture.pcapng")).frames();
        assertTrue(frames.size() > 4, "the capture holds the handshake and the exchange");
        String report = Files.readString(dir.resolve("report.txt"));
        assertTrue(report.startsWith("title:   " + f.title() + "\noracle:  monitor\n"), report);
        assertTrue(report.contains("past the right edge"), report);
    }
}
