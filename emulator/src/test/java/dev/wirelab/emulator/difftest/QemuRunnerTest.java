package dev.wirelab.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's own contract: hard limits, QEMU's messages as failures, input restrictions. */
class QemuRunnerTest {
    private static final QemuRunner QEMU = new QemuRunner();

    @BeforeAll
    static void qemuPresent() {
        assumeTrue(QEMU.available(), "qemu-system-aarch64 is not installed (set -Dwirelab.qemu=PATH)");
    }

    private static GuestCase psciReset(Set<GuestCase.Flag> flags) {
        GuestCase c = GuestCase.catalogue().stream().filter(g -> g.name().equals("psci_reset")).findFirst().orElseThrow();
        return new GuestCase(c.name(), c.resource(), c.boot(), c.gicVersion(), c.stdin(), c.expectedExit(), flags);
    }

    @Test
    void aGuestThatNeverExitsIsKilledAtTheLimitAndKeepsItsConsole() throws Exception {
        // Without -no-reboot, SYSTEM_RESET restarts the guest, which prints its transcript again, forever.
        GuestCase c = psciReset(Set.of());
        Transcript t = QEMU.run(c, GuestImages.file(c), new byte[0], Duration.ofSeconds(3));

        assertTrue(t.timedOut());
        assertEquals(-1, t.exitCode());
        assertTrue(t.text().indexOf("psci: SYSTEM_RESET\n") < t.text().lastIndexOf("psci: SYSTEM_RESET\n"),
                () -> "expected the guest to run again after the reset:\n" + t.text());
    }

    @Test
    void withNoRebootTheResetEndsTheRun() throws Exception {
        GuestCase c = psciReset(Set.of(GuestCase.Flag.NO_REBOOT));
        Transcript t = QEMU.run(c, GuestImages.file(c), new byte[0]);

        assertEquals(0, t.exitCode());
        assertTrue(t.text().endsWith("psci: SYSTEM_RESET\n"), t::text);
    }

    @Test
    void whatQemuPrintsItselfIsAFailure(@TempDir Path dir) {
        GuestCase c = GuestCase.catalogue().getFirst();
        QemuRunner.QemuError e = assertThrows(QemuRunner.QemuError.class,
                () -> QEMU.run(c, dir.resolve("missing.elf"), new byte[0]));
        assertTrue(e.getMessage().contains("missing.elf"), e::getMessage);
    }

    @Test
    void consoleInputMayNotContainTheMuxEscape() throws Exception {
        GuestCase c = GuestCase.catalogue().getFirst();
        assertThrows(IllegalArgumentException.class,
                () -> QEMU.run(c, GuestImages.file(c), new byte[] {'a', 0x01, 'x'}));
    }
}
