package dev.wirelab.fuzz.campaign;

import static org.junit.jupiter.api.Assertions.*;

import dev.wirelab.fuzz.campaign.report.FindingRow;
import dev.wirelab.fuzz.finding.FindingStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sightings of stored findings become the report's count, written only into complete finding directories. */
class FindingTallyTest {
    @TempDir
    Path findings;

    @Test
    void countsReachTheFindingsDirectoryOnceItExists() throws IOException {
        String title = "panic: attempt to subtract with overflow (tcp_in.c:2041)";
        Path d = findings.resolve(FindingStore.idFor(title));
        FindingTally t = new FindingTally(findings);
        t.seenAgain(title);
        assertFalse(Files.exists(d), "still being saved by another worker: nothing written");
        Files.createDirectories(d);
        Files.writeString(d.resolve("report.txt"), "title: " + title + "\n");
        t.seenAgain(title);
        Path file = d.resolve("seen-" + ProcessHandle.current().pid());
        assertEquals("2", Files.readString(file));
        t.seenAgain(title);   // written now or, paced, by the flush
        t.flush();
        assertEquals("3", Files.readString(file));
        assertEquals(4, FindingRow.scan(findings, Set.of()).getFirst().count(), "the first sighting plus three");
        try (var s = Files.list(d)) {
            assertEquals(2, s.count(), "no temporary file left: " + d);
        }
    }
}
