package dev.wirelab.fuzz.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.wirelab.fuzz.EstablishedLab;
import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.StreamTarget;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class OraclesTest {
    static final FuzzInput EMPTY = FuzzInput.of(StreamTarget.TCP_ESTABLISHED);
    @RegisterExtension
    static final EstablishedLab LAB = new EstablishedLab();

    static FuzzLab lab() {
        return LAB.lab();
    }

    static Execution synthetic(String console, Execution.Quiet quiet, String budgetOut) {
        return new Execution(EMPTY, console, List.of(), 1000, 1000, null, budgetOut, quiet, List.of());
    }

    @Test
    void aQuietRunOfTheDefaultGuestIsNoFinding() {
        Execution e = lab().execute(EMPTY);
        assertEquals(Optional.empty(), Oracles.standard(lab().profile()).check(e, lab().lab()));
        assertTrue(e.quiet().busy() < 0.5, "the default guest idles: " + e.quiet());
    }

    @Test
    void panicIsTitledByMessageAndLocation() {
        Execution e = synthetic("x\n!!! PANIC !!!\nLocation: tcp_in.c:1048\nMessage: assertion \"wnd\" failed\n"
                + "Thread: net (tid 2)\nRegisters: ...\n", Execution.Quiet.NONE, null);
        Finding f = new PanicOracle(GuestProfile.defaultGuest()).check(e, lab().lab()).orElseThrow();
        assertEquals("panic: assertion \"wnd\" failed (tcp_in.c:1048)", f.title());
        assertEquals(Optional.empty(), new PanicOracle(GuestProfile.defaultGuest())
                .check(synthetic("wirelab-guest: ready\n", Execution.Quiet.NONE, null), lab().lab()));
    }

    @Test
    void aSpinningGuestIsAHangAndTheReportListsItsThreads() {
        lab().execute(EMPTY);
        Finding f = new HangOracle().check(synthetic("", new Execution.Quiet(1_000_000, 990_000, 0), null), lab().lab())
                .orElseThrow();
        assertTrue(f.title().startsWith("hang: guest spinning in "), f.title());
        for (String name : List.of("net", "agent0", "agent1")) {
            assertTrue(f.detail().contains(name), name + " listed in\n" + f.detail());
        }
        assertTrue(new HangOracle().check(synthetic("", Execution.Quiet.NONE, "budget exhausted"), lab().lab()).isPresent());
    }

    @Test
    void theThreadTableIsReadThroughTheGuestsSymbols() {
        lab().execute(EMPTY);
        List<GuestThreads.GuestThread> threads = GuestThreads.read(lab().lab());
        assertTrue(threads.size() >= 4, threads.toString());
        assertEquals(1, threads.stream().filter(GuestThreads.GuestThread::current).count(), threads.toString());
        assertTrue(threads.stream().anyMatch(t -> t.name().equals("net") && !t.user()), threads.toString());
        assertTrue(threads.stream().anyMatch(t -> t.name().equals("agent0") && t.user()), threads.toString());
    }

    @Test
    void endlessTransmissionIsALivenessFinding() {
        assertTrue(new LivenessOracle().check(synthetic("", new Execution.Quiet(1_000_000, 5000, 400), null),
                lab().lab()).isPresent());
        assertEquals(Optional.empty(), new LivenessOracle().check(synthetic("", new Execution.Quiet(1_000_000, 5000, 3),
                null), lab().lab()));
    }
}
