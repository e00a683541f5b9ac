package dev.wirelab.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every catalogue case (except QEMU-only probes) runs under QEMU virt and under
 * wirelab's board: console transcripts and exit codes must be identical.
 *
 * <p>{@code -Dwirelab.difftest.noExceptions=true} skips the
 * {@link GuestCase.Flag#NEEDS_EXCEPTIONS} cases (for a board without its
 * exception engine).
 * {@link GuestCase.Flag#KNOWN_DIVERGENCE} cases (a board bug with a documented
 * reproduction) are skipped unless {@code -Dwirelab.difftest.knownDivergences=true}.
 * {@code -Dwirelab.difftest.cases=REGEX} and {@code -Dwirelab.difftest.skipBench=true}
 * narrow the run (see {@link GuestCase#selected}).
 */
class DifferentialTest {
    private static final QemuRunner QEMU = new QemuRunner();
    private static final WirelabRunner WIRELAB = new BoardRunner();

    static Stream<GuestCase> cases() {
        return GuestCase.catalogue().stream().filter(c -> !c.has(GuestCase.Flag.QEMU_ONLY))
                .filter(GuestCase::selected);
    }

    @BeforeAll
    static void qemuPresent() {
        assumeTrue(QEMU.available(), "qemu-system-aarch64 is not installed (set -Dwirelab.qemu=PATH)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void wirelabMatchesQemu(GuestCase c) throws Exception {
        assumeTrue(!c.needsExceptions() || !Boolean.getBoolean("wirelab.difftest.noExceptions"),
                "needs the exception engine (skipped by -Dwirelab.difftest.noExceptions=true)");
        assumeTrue(!c.has(GuestCase.Flag.KNOWN_DIVERGENCE) || Boolean.getBoolean("wirelab.difftest.knownDivergences"),
                () -> "known divergence: " + c.divergence() + " (-Dwirelab.difftest.knownDivergences=true runs it)");
        Path image = GuestImages.file(c);

        long qemuStart = System.nanoTime();
        Transcript qemu = QEMU.run(c, image, c.stdin());
        long qemuNanos = System.nanoTime() - qemuStart;
        assertFalse(qemu.timedOut(), () -> c + " did not exit under QEMU; console so far:\n" + qemu.text());

        long wirelabStart = System.nanoTime();
        Transcript wirelab = WIRELAB.run(c, image, c.stdin());
        long wirelabNanos = System.nanoTime() - wirelabStart;
        assertFalse(wirelab.timedOut(), () -> c + " used up its instruction budget under wirelab; console so far:\n"
                + wirelab.text());

        assertEquals(qemu.text(), wirelab.text(), () -> c + ": wirelab's console differs from QEMU's");
        assertEquals(qemu.exitCode(), wirelab.exitCode(), () -> c + ": exit code; console:\n" + wirelab.text());
        assertEquals(c.expectedExit(), wirelab.exitCode(), () -> c + ": exit code differs from the catalogue");
        c.benchInstructions().ifPresent(n -> {
            System.out.println(BenchReport.line("qemu", c, n, qemuNanos));
            System.out.println(BenchReport.line("wirelab", c, n, wirelabNanos));
        });
    }
}
