package dev.wirelab.fuzz.finding;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FindingStoreTest {
    @TempDir
    Path out;

    static FindingFiles fake(String tag) {
        return new FindingFiles(new byte[] {1, 2, 3}, "// repro " + tag + "\n", new byte[] {0x0a, 0x0d, 0x0d, 0x0a},
                "title: " + tag + "\n");
    }

    @Test
    void aFindingIsADirectoryWithItsFourFilesAndNothingElse() throws IOException {
        FindingStore s = FindingStore.open(out);
        Path dir = s.save("panic: assertion \"x\" failed at tcp_in.c:123", fake("a")).orElseThrow();
        assertEquals(out.resolve("findings"), dir.getParent());
        assertTrue(dir.getFileName().toString().matches("panic-assertion-x-failed-at-tcp-in-c-123-[0-9a-f]{8}"),
                dir.getFileName().toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("capture.pcapng", "input.bin", "report.txt", "repro.groovy"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(dir.resolve("input.bin")));
        assertEquals("// repro a\n", Files.readString(dir.resolve("repro.groovy")));
        try (Stream<Path> all = Files.list(out.resolve("findings"))) {
            assertEquals(List.of(dir), all.toList(), "no staging or temp files are left");
        }
    }

    @Test
    void theSameTitleIsStoredOnceEvenAcrossRuns() throws IOException {
        FindingStore s = FindingStore.open(out);
        assertTrue(s.save("hang: guest spinning in net_poll", fake("first")).isPresent());
        assertEquals(Optional.empty(), s.save("hang: guest spinning in net_poll", fake("second")));
        FindingStore again = FindingStore.open(out);
        assertTrue(again.has("hang: guest spinning in net_poll"));
        assertEquals(Optional.empty(), again.save("hang: guest spinning in net_poll", fake("third")));
        assertTrue(again.save("liveness: guest transmits without end", fake("other")).isPresent());
        assertEquals(2, again.count());
        Path first = out.resolve("findings").resolve(FindingStore.idFor("hang: guest spinning in net_poll"));
        assertEquals("// repro first\n", Files.readString(first.resolve("repro.groovy")));
    }

    @Test
    void idsAreStableAndDistinguishTitlesThatSlugAlike() {
        assertEquals(FindingStore.idFor("panic: a/b"), FindingStore.idFor("panic: a/b"));
        assertNotEquals(FindingStore.idFor("panic: a/b"), FindingStore.idFor("panic: a-b"));
        assertTrue(FindingStore.idFor("x".repeat(300)).length() < 60);
    }

    @Test
    void stagingLeftByAKilledRunIsRemovedAndNeverCountsAsAFinding() throws IOException {
        Path findings = Files.createDirectories(out.resolve("findings"));
        Path staged = Files.createDirectories(findings.resolve(FindingStore.STAGING + "panic-x-12345678"));
        Files.writeString(staged.resolve("input.bin"), "half");
        FindingStore s = FindingStore.open(out);
        assertFalse(Files.exists(staged));
        assertEquals(0, s.count());
    }

    @Test
    void aReadOnlyOutIsOneClearErrorAndKeepsWhatWasSaved() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root ignores permissions");
        FindingStore s = FindingStore.open(out);
        Path kept = s.save("panic: kept", fake("kept")).orElseThrow();
        Path findings = out.resolve("findings");
        Files.setPosixFilePermissions(findings, PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            FindingStoreException e = assertThrows(FindingStoreException.class, () -> s.save("panic: new", fake("n")));
            assertTrue(e.getMessage().contains("cannot save finding 'panic: new'"), e.getMessage());
            assertTrue(e.getMessage().contains("already saved are intact"), e.getMessage());
            assertEquals("// repro kept\n", Files.readString(kept.resolve("repro.groovy"), StandardCharsets.UTF_8));
            Path ro = Files.createDirectories(out.resolve("ro"));
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            FindingStoreException open = assertThrows(FindingStoreException.class, () -> FindingStore.open(ro));
            assertTrue(open.getMessage().startsWith("cannot use " + ro.resolve("findings")), open.getMessage());
        } finally {
            Files.setPosixFilePermissions(findings, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }

    @Test
    void atomicWriteReplacesWholeFilesOnly() throws IOException {
        Path f = out.resolve("corpus-entry");
        AtomicFiles.write(f, "one".getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(f, "two".getBytes(StandardCharsets.UTF_8));
        assertEquals("two", Files.readString(f));
        try (Stream<Path> all = Files.list(out)) {
            assertEquals(List.of(f), all.toList());
        }
    }
}
