package dev.wirelab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code wirelab fuzz --jobs N}: workers on one corpus, the report, resuming on the same out. */
class FuzzCampaignTest {
    @TempDir
    Path dir;

    @Test
    void twoWorkersShareOneCorpusWriteTheReportAndAReRunContinues() throws IOException {
        Path out = dir.resolve("out");
        // The default guest's known lwIP 2.1.3 bugs (corpora/known-default.txt) are not new findings.
        Cli.Result r = Cli.run("fuzz", "--target", "tcp-listen", "--jobs", "2", "--time", "20s", "--baseline",
                Path.of("../corpora/known-default.txt").toAbsolutePath().toString(), "--out", out.toString());
        assertEquals(0, r.code(), r::toString);
        assertTrue(r.out().contains("tcp-listen on default: no new finding"), r::toString);
        // Both workers ran and executed inputs (each log has libFuzzer's final count).
        for (int j = 0; j < 2; j++) {
            String log = Files.readString(out.resolve("logs/tcp-listen-" + j + ".log"));
            assertTrue(log.contains("Seed: " + (1 + j)), log);
            assertTrue(executed(log) > 0, log);
        }
        String summary = Files.readString(out.resolve("summary.json"));
        assertTrue(summary.contains("\"state\": \"finished\""), summary);
        assertTrue(summary.contains("\"jobs\": \"2\""), summary);
        assertTrue(summary.contains("\"new_findings\": 0"), summary);
        long execs = Long.parseLong(field(summary, "execs"));
        assertTrue(execs > 0, summary);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("Executions per second") && html.contains("<polyline"), html);
        assertTrue(html.contains("No findings."), html);
        assertTrue(html.contains("Guest coverage by function") && html.contains("<code>tcp_input</code>"),
                "the corpus replayed at the end reaches lwIP's tcp_input: " + html);
        assertTrue(summary.contains("\"functions\": {\n    \"tcp-listen\": {\"inputs\": "), summary);
        // Source lines through the default guest's DWARF: tcp_input's file:line and the lines run.
        assertTrue(html.contains("<code>lwip/src/core/tcp_in.c:") && html.contains("lwip/src/core/tcp_in.c:"), html);
        assertTrue(summary.matches("(?s).*\"function\": \"tcp_input\", [^}]*\"source\": \"lwip/src/core/tcp_in.c:\\d+\", "
                + "\"lines\": \\d+, \"lines_reached\": \\[\"lwip/src/core/tcp_in.c:\\d+\".*"), summary);
        assertTrue(!html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http"),
                "self-contained: " + html);
        long corpus = count(out.resolve("corpus/tcp-listen"));

        // The same --out again continues: the corpus is kept, not reseeded, and --resume accepts it.
        Cli.Result again = Cli.run("fuzz", "--target", "tcp-listen", "--resume", "--runs", "5", "--out",
                out.toString());
        assertEquals(0, again.code(), again::toString);
        assertTrue(count(out.resolve("corpus/tcp-listen")) >= corpus, "the corpus was kept");
        String log = Files.readString(out.resolve("logs/tcp-listen-0.log"));
        assertTrue(log.contains("INITED") && log.matches("(?s).*files found in .*corpus/tcp-listen.*"), log);
        // The resumed run's plot does not dip while its worker reloads the corpus.
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"coverage\": (\\d+), \"corpus\"")
                .matcher(Files.readString(out.resolve("summary.json")));
        long prev = 0;
        while (m.find()) {
            long c = Long.parseLong(m.group(1));
            assertTrue(c >= prev, "coverage " + prev + " then " + c);
            prev = c;
        }
    }

    @Test
    void resumeWithoutACampaignAndABadJobCountAreBadInput() {
        FuzzCommandTest.badInput("holds no campaign to continue", "fuzz", "--target", "tcp-listen", "--resume",
                "--out", dir.resolve("none").toString());
        FuzzCommandTest.badInput("--jobs 0: give 1 to 64", "fuzz", "--target", "tcp-listen", "--jobs", "0", "--out",
                dir.resolve("none").toString());
        FuzzCommandTest.badInput("--baseline", "fuzz", "--target", "tcp-listen", "--baseline",
                dir.resolve("missing.txt").toString(), "--out", dir.resolve("none").toString());
    }

    private static long executed(String log) {
        Matcher m = Pattern.compile("stat::number_of_executed_units: (\\d+)").matcher(log);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\\d+)").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private static long count(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
        }
    }
}
