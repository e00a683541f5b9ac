package dev.wirelab.fuzz.campaign.report;

import dev.wirelab.emulator.boot.LineTable;
import dev.wirelab.fuzz.campaign.FunctionCoverage;
import java.util.List;
import java.util.Locale;

/**
 * The report's "guest coverage by function" section: per target, the reached functions with a bar each,
 * where each is in the source and which of its lines ran (a folded list), when the ELF has DWARF lines.
 */
final class FunctionTable {
    /** Rows shown open; the rest are folded into a details element. */
    static final int SHOWN = 40;

    private FunctionTable() {
    }

    static String html(List<FunctionCoverage> functions) {
        StringBuilder b = new StringBuilder("<h2>Guest coverage by function</h2>\n");
        if (functions.isEmpty()) {
            return b.append("<p>Measured when the campaign finishes (each corpus entry replayed once).</p>\n").toString();
        }
        for (FunctionCoverage fc : functions) {
            b.append("<h3>").append(Html.escape(fc.target())).append("</h3>\n<p>")
                    .append(String.format(Locale.ROOT, "%d functions reached by %d corpus entries", fc.functions().size(),
                            fc.inputs()))
                    .append(fc.skipped() > 0 ? " (" + fc.skipped() + " more entries not replayed)" : "")
                    .append(". Block entries summed over the corpus; inputs: entries that reach the function")
                    .append(fc.noLines().isEmpty() ? "; lines: source lines run of the function's lines (DWARF)"
                            : "; no line info: " + Html.escape(fc.noLines()))
                    .append(".</p>\n");
            long max = fc.functions().stream().mapToLong(FunctionCoverage.Row::blockEntries).max().orElse(1);
            String header = "<tr><th>Function</th><th>Source</th><th>Block entries</th><th></th><th>Inputs</th>"
                    + "<th>Lines</th></tr>\n";
            b.append("<table class=\"fn\">").append(header);
            List<FunctionCoverage.Row> rows = fc.functions();
            for (int i = 0; i < rows.size(); i++) {
                if (i == SHOWN) {
                    b.append("</table>\n<details><summary>").append(rows.size() - SHOWN)
                            .append(" more functions</summary>\n<table class=\"fn\">").append(header);
                }
                FunctionCoverage.Row r = rows.get(i);
                int width = (int) Math.max(1, Math.round(200.0 * Math.log1p(r.blockEntries()) / Math.log1p(max)));
                b.append("<tr><td><code>").append(Html.escape(r.function())).append("</code></td><td>")
                        .append(r.source() == null ? "" : "<code>" + Html.escape(r.source().toString()) + "</code>")
                        .append("</td><td>")
                        .append(r.blockEntries()).append("</td><td><svg width=\"200\" height=\"10\"><rect width=\"")
                        .append(width).append("\" height=\"10\" fill=\"#4a7\"/></svg></td><td>").append(r.inputs())
                        .append("</td><td class=\"ln\">").append(lines(r)).append("</td></tr>\n");
            }
            b.append("</table>\n").append(rows.size() > SHOWN ? "</details>\n" : "");
        }
        return b.toString();
    }

    /** "12 / 40" with the reached lines folded under it; empty without line info. */
    private static String lines(FunctionCoverage.Row r) {
        if (r.lines() == 0 && r.reached().isEmpty()) {
            return "";
        }
        String count = r.reached().size() + " / " + r.lines();
        if (r.reached().isEmpty()) {
            return count;
        }
        return "<details><summary>" + count + "</summary><code>" + Html.escape(compact(r.reached())) + "</code></details>";
    }

    /** Lines sorted by file then line, as "file.c:10-12, 15; other.h:3". */
    static String compact(List<LineTable.SourceLine> lines) {
        StringBuilder b = new StringBuilder();
        String file = null;
        int runStart = -1;
        int prev = -1;
        for (LineTable.SourceLine l : lines) {
            if (!l.file().equals(file) || l.line() != prev + 1) {
                closeRun(b, runStart, prev);
                if (!l.file().equals(file)) {
                    b.append(file == null ? "" : "; ").append(l.file()).append(':');
                    file = l.file();
                } else {
                    b.append(", ");
                }
                b.append(l.line());
                runStart = l.line();
            }
            prev = l.line();
        }
        closeRun(b, runStart, prev);
        return b.toString();
    }

    private static void closeRun(StringBuilder b, int start, int end) {
        if (start >= 0 && end > start) {
            b.append('-').append(end);
        }
    }
}
