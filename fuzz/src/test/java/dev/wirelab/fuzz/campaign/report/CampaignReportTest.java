package dev.wirelab.fuzz.campaign.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import dev.wirelab.emulator.boot.LineTable;
import dev.wirelab.fuzz.campaign.FunctionCoverage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CampaignReportTest {
    @TempDir
    Path dir;

    @Test
    void statusLinesAreParsedAndOtherLinesIgnored() {
        EngineStatus s = EngineStatus.parse("#4096\tpulse  cov: 85 ft: 101 corp: 5/60b lim: 4 exec/s: 34 rss: 400Mb")
                .orElseThrow();
        assertEquals(new EngineStatus(4096, 85, false), s);
        assertTrue(EngineStatus.parse("#17\tNEW    cov: 90 ft: 120 corp: 6/70b").orElseThrow().newInput());
        assertTrue(EngineStatus.parse("INFO: Seed: 1").isEmpty());
        assertTrue(EngineStatus.parse("#1 cov-ish").isEmpty());
    }

    @Test
    void aWorkerLogIsFollowedAcrossPartialLinesAndEngineRestarts() throws IOException {
        Path f = dir.resolve("w.log");
        Files.writeString(f, "INFO: Seed: 1\n#2\tINITED cov: 10 ft: 10\n#8\tNEW    cov: 1");
        WorkerLog w = new WorkerLog(f);
        assertFalse(w.poll(), "the NEW line is not complete yet");
        assertEquals(2, w.execs());
        Files.writeString(f, "2 ft: 14 corp: 3/9b\n#16\tpulse  cov: 12\n#4\tINITED cov: 12\n",
                java.nio.file.StandardOpenOption.APPEND);
        assertTrue(w.poll());
        assertEquals(16 + 4, w.execs(), "a restarted engine adds to the executions so far");
        assertEquals(12, w.coverage());
    }

    @Test
    void reportAndSummaryHoldTheSamplesFindingsAndSettings() throws IOException {
        Path finding = Files.createDirectories(dir.resolve("findings/panic-abc-12345678"));
        Files.writeString(finding.resolve("report.txt"), "title:   panic: assertion <x> failed\noracle: panic\n");
        Files.createDirectories(dir.resolve("findings/.staging-1")); // a save in progress is not a finding
        Files.writeString(finding.resolve("seen-11"), "3");     // two workers counted it again
        Files.writeString(finding.resolve("seen-12"), "2x");    // cut short or not ours: ignored
        List<FindingRow> rows = FindingRow.scan(dir.resolve("findings"), Set.of());
        assertEquals(1, rows.size());
        assertEquals(4, rows.getFirst().count());
        assertEquals("panic: assertion <x> failed", rows.getFirst().title());
        List<Sample> samples = List.of(new Sample(0, 0, 0, 0, 7, 0), new Sample(10, 500, 50, 321, 9, 1));
        CampaignReport.write(dir, Map.of("jobs", "2"), samples, rows, CampaignReport.State.FINISHED);
        String json = Files.readString(dir.resolve("summary.json"));
        assertTrue(json.contains("\"state\": \"finished\"") && json.contains("\"execs\": 500")
                && json.contains("\"new_findings\": 1") && json.contains("\"jobs\": \"2\""), json);
        assertEquals(samples, CampaignReport.previousSamples(dir), "a resumed campaign continues these plots");
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("panic: assertion &lt;x&gt; failed"), html);
        assertTrue(html.contains("href=\"findings/panic-abc-12345678/repro.groovy\""), html);
        assertTrue(html.contains("<th>Count</th>") && html.contains("Z</td><td>4</td>"), html);
        assertTrue(json.contains("\"count\": 4, \"new\": true}"), json);
        assertTrue(html.contains("points=\"60.0,220.0 "), "the plot starts at the origin: " + html);
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".partial")), "no temp file left");
        }
        List<FindingRow> known = FindingRow.scan(dir.resolve("findings"), Set.of("panic: assertion <x> failed"));
        assertTrue(known.getFirst().known());
    }

    @Test
    void coverageByFunctionIsATablePerTargetAndInTheSummary() throws IOException {
        List<FunctionCoverage.Row> rows = new java.util.ArrayList<>();
        for (int i = 0; i < FunctionTable.SHOWN + 5; i++) {
            rows.add(new FunctionCoverage.Row("fn_" + i, 1000 - i, 3));
        }
        rows.set(0, new FunctionCoverage.Row("tcp_<input>", 5000, 7));
        rows.set(1, new FunctionCoverage.Row("tcp_receive", 999, 7, new LineTable.SourceLine("tcp_in.c", 1000), 40,
                List.of(new LineTable.SourceLine("tcp.h", 3), new LineTable.SourceLine("tcp_in.c", 1001),
                        new LineTable.SourceLine("tcp_in.c", 1002), new LineTable.SourceLine("tcp_in.c", 1003),
                        new LineTable.SourceLine("tcp_in.c", 1010))));
        FunctionCoverage fc = new FunctionCoverage("tcp-established", 7, 2, rows);
        CampaignReport.write(dir, Map.of("jobs", "1"), List.of(new Sample(1, 10, 10, 5, 7, 0)), List.of(), List.of(fc),
                CampaignReport.State.FINISHED);
        String html = Files.readString(dir.resolve("report.html"));
        assertTrue(html.contains("Guest coverage by function"), html);
        assertTrue(html.contains("<code>tcp_&lt;input&gt;</code></td><td></td><td>5000</td>"), html);
        assertTrue(html.contains("<code>tcp_receive</code></td><td><code>tcp_in.c:1000</code></td><td>999</td>"), html);
        assertTrue(html.contains("<details><summary>5 / 40</summary><code>tcp.h:3; tcp_in.c:1001-1003, 1010</code>"
                + "</details>"), html);
        assertTrue(html.contains("45 functions reached by 7 corpus entries (2 more entries not replayed)"), html);
        assertTrue(html.contains("<details><summary>5 more functions</summary>"), html);
        String json = Files.readString(dir.resolve("summary.json"));
        assertTrue(json.contains("\"tcp-established\": {\"inputs\": 7, \"skipped\": 2, \"no_line_info\": \"\", \"reached\": [\n"
                + "      {\"function\": \"tcp_<input>\", \"blocks\": 5000, \"inputs\": 7, \"lines\": 0, \"lines_reached\": []},\n"
                + "      {\"function\": \"tcp_receive\", \"blocks\": 999, \"inputs\": 7, \"source\": \"tcp_in.c:1000\", "
                + "\"lines\": 40, \"lines_reached\": [\"tcp.h:3\", \"tcp_in.c:1001\","), json);
        assertEquals(1, CampaignReport.previousSamples(dir).size(), "the function list does not disturb the samples");
        String none = CampaignReport.html(Map.of(), List.of(), List.of(), CampaignReport.State.RUNNING);
        assertTrue(none.contains("Measured when the campaign finishes"), none);
    }

    @Test
    void aKilledRunsNewFindingsStayNewForTheRunThatContinuesIt() throws IOException {
        assertTrue(CampaignReport.unfinishedNewFindings(dir).isEmpty(), "no summary yet");
        FindingRow fresh = new FindingRow("panic-x-12", "panic: x \"quoted\"", java.time.Instant.EPOCH, false);
        FindingRow old = new FindingRow("panic-y-34", "panic: y", java.time.Instant.EPOCH, true);
        CampaignReport.write(dir, Map.of(), List.of(), List.of(fresh, old), CampaignReport.State.RUNNING);
        assertEquals(Set.of("panic-x-12"), CampaignReport.unfinishedNewFindings(dir));
        CampaignReport.write(dir, Map.of(), List.of(), List.of(fresh, old), CampaignReport.State.INTERRUPTED);
        assertEquals(Set.of("panic-x-12"), CampaignReport.unfinishedNewFindings(dir));
        CampaignReport.write(dir, Map.of(), List.of(), List.of(fresh, old), CampaignReport.State.FINISHED);
        assertTrue(CampaignReport.unfinishedNewFindings(dir).isEmpty(), "a finished run's findings are known");
    }
}
