package dev.wirelab.fuzz.campaign.report;

import dev.wirelab.fuzz.campaign.FunctionCoverage;
import dev.wirelab.fuzz.finding.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code DIR/summary.json} and {@code DIR/report.html}: the campaign's settings, progress over time,
 * findings and guest coverage by function. Both are rewritten atomically (periodically and at the
 * end), so a kill at any moment leaves the previous complete version. The page is self-contained (inline SVG, no script).
 */
public final class CampaignReport {
    /** Where the campaign is. */
    public enum State { RUNNING, FINISHED, INTERRUPTED }

    private CampaignReport() {
    }

    public static void write(Path dir, Map<String, String> settings, List<Sample> samples, List<FindingRow> findings,
                             State state) throws IOException {
        write(dir, settings, samples, findings, List.of(), state);
    }

    /** ... with the guest coverage by function of each target's corpus (empty: not measured yet). */
    public static void write(Path dir, Map<String, String> settings, List<Sample> samples, List<FindingRow> findings,
                             List<FunctionCoverage> functions, State state) throws IOException {
        AtomicFiles.write(dir.resolve("summary.json"), json(settings, samples, findings, functions, state)
                .getBytes(StandardCharsets.UTF_8));
        AtomicFiles.write(dir.resolve("report.html"), html(settings, samples, findings, functions, state)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static final java.util.regex.Pattern SAMPLE = java.util.regex.Pattern.compile("\\{\"seconds\": ([0-9.]+), "
            + "\"execs\": (\\d+), \"execs_per_sec\": ([0-9.]+), \"coverage\": (\\d+), \"corpus\": (\\d+), "
            + "\"findings\": (\\d+)\\}");

    /** The samples of an earlier run's {@code summary.json} in {@code dir} (empty when there is none or it is not ours). */
    public static List<Sample> previousSamples(Path dir) {
        Path f = dir.resolve("summary.json");
        List<Sample> out = new java.util.ArrayList<>();
        try {
            if (!java.nio.file.Files.isRegularFile(f)) {
                return out;
            }
            java.util.regex.Matcher m = SAMPLE.matcher(java.nio.file.Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                out.add(new Sample(Double.parseDouble(m.group(1)), Long.parseLong(m.group(2)),
                        Double.parseDouble(m.group(3)), Long.parseLong(m.group(4)), Integer.parseInt(m.group(5)),
                        Integer.parseInt(m.group(6))));
            }
        } catch (IOException | RuntimeException e) {
            out.clear(); // an unreadable summary only costs the earlier plot points
        }
        return out;
    }

    private static final java.util.regex.Pattern NEW_FINDING = java.util.regex.Pattern.compile(
            "\\{\"id\": \"([^\"\\\\]+)\", \"title\": .*, \"new\": true\\}");

    /**
     * The ids of findings an earlier run on {@code dir} counted as new when that run did not finish
     * (killed or interrupted): a resumed campaign still counts them, so a SIGKILL does not turn a
     * new finding into a known one. Empty after a finished run, or when there is no summary.
     */
    public static java.util.Set<String> unfinishedNewFindings(Path dir) {
        Path f = dir.resolve("summary.json");
        java.util.Set<String> ids = new java.util.HashSet<>();
        try {
            if (!java.nio.file.Files.isRegularFile(f)) {
                return ids;
            }
            String text = java.nio.file.Files.readString(f, StandardCharsets.UTF_8);
            if (text.contains("\"state\": \"finished\"")) {
                return ids;
            }
            java.util.regex.Matcher m = NEW_FINDING.matcher(text);
            while (m.find()) {
                ids.add(m.group(1));
            }
        } catch (IOException | RuntimeException e) {
            ids.clear(); // an unreadable summary: findings stored before count as known, as without one
        }
        return ids;
    }

    static String json(Map<String, String> settings, List<Sample> samples, List<FindingRow> findings, State state) {
        return json(settings, samples, findings, List.of(), state);
    }

    static String json(Map<String, String> settings, List<Sample> samples, List<FindingRow> findings,
                       List<FunctionCoverage> functions, State state) {
        StringBuilder b = new StringBuilder("{\n  \"state\": ").append(Html.json(state.name().toLowerCase(Locale.ROOT)));
        b.append(",\n  \"settings\": {");
        String sep = "";
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append(sep).append("\n    ").append(Html.json(e.getKey())).append(": ").append(Html.json(e.getValue()));
            sep = ",";
        }
        b.append("\n  },\n");
        Sample last = samples.isEmpty() ? new Sample(0, 0, 0, 0, 0, 0) : samples.getLast();
        b.append(String.format(Locale.ROOT, "  \"seconds\": %.1f,%n  \"execs\": %d,%n  \"execs_per_sec\": %.1f,%n"
                        + "  \"coverage\": %d,%n  \"corpus\": %d,%n", last.seconds(), last.execs(),
                last.seconds() > 0 ? last.execs() / last.seconds() : 0.0, last.coverage(), last.corpus()));
        b.append("  \"findings\": [");
        sep = "";
        for (FindingRow f : findings) {
            b.append(sep).append("\n    {\"id\": ").append(Html.json(f.id())).append(", \"title\": ")
                    .append(Html.json(f.title())).append(", \"first_seen\": ").append(Html.json(f.firstSeen().toString()))
                    .append(", \"count\": ").append(f.count()).append(", \"new\": ").append(!f.known()).append('}');
            sep = ",";
        }
        b.append("\n  ],\n  \"new_findings\": ").append(findings.stream().filter(f -> !f.known()).count());
        b.append(",\n  \"samples\": [");
        sep = "";
        for (Sample s : samples) {
            b.append(sep).append(String.format(Locale.ROOT, "\n    {\"seconds\": %.1f, \"execs\": %d, \"execs_per_sec\": "
                    + "%.1f, \"coverage\": %d, \"corpus\": %d, \"findings\": %d}", s.seconds(), s.execs(),
                    s.execsPerSec(), s.coverage(), s.corpus(), s.findings()));
            sep = ",";
        }
        b.append("\n  ],\n  \"functions\": {");
        sep = "";
        for (FunctionCoverage fc : functions) {
            b.append(sep).append("\n    ").append(Html.json(fc.target())).append(": {\"inputs\": ").append(fc.inputs())
                    .append(", \"skipped\": ").append(fc.skipped()).append(", \"no_line_info\": ")
                    .append(Html.json(fc.noLines())).append(", \"reached\": [");
            String rs = "";
            for (FunctionCoverage.Row r : fc.functions()) {
                b.append(rs).append("\n      {\"function\": ").append(Html.json(r.function())).append(", \"blocks\": ")
                        .append(r.blockEntries()).append(", \"inputs\": ").append(r.inputs());
                if (r.source() != null) {
                    b.append(", \"source\": ").append(Html.json(r.source().toString()));
                }
                b.append(", \"lines\": ").append(r.lines()).append(", \"lines_reached\": [");
                String ls = "";
                for (var l : r.reached()) {
                    b.append(ls).append(Html.json(l.toString()));
                    ls = ", ";
                }
                b.append("]}");
                rs = ",";
            }
            b.append("]}");
            sep = ",";
        }
        return b.append("\n  }\n}\n").toString();
    }

    static String html(Map<String, String> settings, List<Sample> samples, List<FindingRow> findings, State state) {
        return html(settings, samples, findings, List.of(), state);
    }

    static String html(Map<String, String> settings, List<Sample> samples, List<FindingRow> findings,
                       List<FunctionCoverage> functions, State state) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>wirelab fuzz campaign</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:60em}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}"
                + "th{background:#f3f3f3}.new{color:#b00;font-weight:bold}"
                + ".fn td.ln{min-width:16em;max-width:24em;overflow-wrap:anywhere}</style></head><body>\n");
        Sample last = samples.isEmpty() ? new Sample(0, 0, 0, 0, 0, 0) : samples.getLast();
        b.append("<h1>wirelab fuzz campaign</h1>\n<p>State: <b>").append(state.name().toLowerCase(Locale.ROOT))
                .append("</b>. ").append(String.format(Locale.ROOT, "%.0f s, %d executions (%.1f/s average), coverage %d, "
                        + "%d corpus entries, %d findings (%d new).", last.seconds(), last.execs(),
                        last.seconds() > 0 ? last.execs() / last.seconds() : 0.0, last.coverage(), last.corpus(),
                        findings.size(), findings.stream().filter(f -> !f.known()).count())).append("</p>\n");
        List<Double> xs = samples.stream().map(Sample::seconds).toList();
        b.append(SvgChart.line("Executions per second", "seconds", "exec/s", xs,
                samples.stream().map(Sample::execsPerSec).toList()));
        b.append(SvgChart.line("Coverage (libFuzzer cov: guest edges + harness)", "seconds", "edges", xs,
                samples.stream().map(s -> (double) s.coverage()).toList()));
        b.append(SvgChart.line("Corpus entries", "seconds", "entries", xs,
                samples.stream().map(s -> (double) s.corpus()).toList()));
        b.append("<h2>Findings</h2>\n");
        if (findings.isEmpty()) {
            b.append("<p>No findings.</p>\n");
        } else {
            b.append("<table><tr><th>Title</th><th>First seen</th><th>Count</th><th>New</th><th>Files</th></tr>\n");
            for (FindingRow f : findings) {
                String base = "findings/" + f.id() + "/";
                b.append("<tr><td>").append(Html.escape(f.title())).append("</td><td>").append(f.firstSeen())
                        .append("</td><td>").append(f.count()).append("</td><td>")
                        .append(f.known() ? "known (baseline or an earlier run)" : "<span class=\"new\">new</span>")
                        .append("</td><td>");
                for (String file : List.of("repro.groovy", "capture.pcapng", "report.txt", "input.bin")) {
                    b.append("<a href=\"").append(Html.escape(base + file)).append("\">").append(file).append("</a> ");
                }
                b.append("</td></tr>\n");
            }
            b.append("</table>\n");
        }
        b.append(FunctionTable.html(functions));
        b.append("<h2>Settings</h2>\n<table>\n");
        for (Map.Entry<String, String> e : settings.entrySet()) {
            b.append("<tr><th>").append(Html.escape(e.getKey())).append("</th><td>").append(Html.escape(e.getValue()))
                    .append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }
}
