package dev.wirelab.emulator.difftest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Proves the test guests themselves: under QEMU virt each guest must print
 * exactly its golden transcript and exit with its expected code.
 *
 * <p>To regenerate the golden files after changing a guest, run with
 * {@code -Dwirelab.difftest.updateGolden=true}: the test then writes
 * emulator/src/test/resources/difftest/&lt;case&gt;.txt (under
 * {@code wirelab.root}) instead of comparing, still checking the exit code.
 * Review the diff before committing it.
 */
class QemuGoldenTest {
    private static final QemuRunner QEMU = new QemuRunner();

    static List<GuestCase> cases() {
        return GuestCase.catalogue().stream().filter(GuestCase::selected).toList();
    }

    @BeforeAll
    static void qemuPresent() {
        assumeTrue(QEMU.available(), "qemu-system-aarch64 is not installed (set -Dwirelab.qemu=PATH)");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void qemuPrintsTheGoldenTranscript(GuestCase c) throws Exception {
        long start = System.nanoTime();
        Transcript t = QEMU.run(c, GuestImages.file(c), c.stdin());
        long nanos = System.nanoTime() - start;
        c.benchInstructions().ifPresent(n -> System.out.println(BenchReport.line("qemu", c, n, nanos)));

        assertFalse(t.timedOut(), () -> c + " did not exit within " + QemuRunner.DEFAULT_TIMEOUT
                + "; console so far:\n" + t.text());
        if (Boolean.getBoolean("wirelab.difftest.updateGolden")) {
            Path golden = Path.of(System.getProperty("wirelab.root", ".."),
                    "emulator/src/test/resources" + c.goldenResource());
            Files.createDirectories(golden.getParent());
            Files.write(golden, t.console());
        } else {
            assertEquals(golden(c), t.text(), () -> c + ": console differs from " + c.goldenResource());
        }
        assertEquals(c.expectedExit(), t.exitCode(), () -> c + ": exit code; console:\n" + t.text());
    }

    static String golden(GuestCase c) throws IOException {
        try (InputStream in = QemuGoldenTest.class.getResourceAsStream(c.goldenResource())) {
            if (in == null) {
                throw new IOException("no golden transcript " + c.goldenResource()
                        + " (generate with -Dwirelab.difftest.updateGolden=true and review it)");
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
