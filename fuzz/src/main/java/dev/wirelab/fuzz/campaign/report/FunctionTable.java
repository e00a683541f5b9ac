package dev.wirelab.fuzz.campaign.report;

import dev.wirelab.fuzz.campaign.FunctionCoverage;
import java.util.List;
import java.util.Locale;

/** The report's "guest coverage by function" section: per target, the reached functions with a bar each. */
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
                    .append(". Block entries summed over the corpus; inputs: entries that reach the function.</p>\n");
            long max = fc.functions().stream().mapToLong(FunctionCoverage.Row::blockEntries).max().orElse(1);
            b.append("<table class=\"fn\"><tr><th>Function</th><th>Block entries</th><th></th><th>Inputs</th></tr>\n");
            List<FunctionCoverage.Row> rows = fc.functions();
            for (int i = 0; i < rows.size(); i++) {
                if (i == SHOWN) {
                    b.append("</table>\n<details><summary>").append(rows.size() - SHOWN)
                            .append(" more functions</summary>\n<table class=\"fn\">\n");
                }
                FunctionCoverage.Row r = rows.get(i);
                int width = (int) Math.max(1, Math.round(200.0 * Math.log1p(r.blockEntries()) / Math.log1p(max)));
                b.append("<tr><td><code>").append(Html.escape(r.function())).append("</code></td><td>")
                        .append(r.blockEntries()).append("</td><td><svg width=\"200\" height=\"10\"><rect width=\"")
                        .append(width).append("\" height=\"10\" fill=\"#4a7\"/></svg></td><td>").append(r.inputs())
                        .append("</td></tr>\n");
            }
            b.append("</table>\n").append(rows.size() > SHOWN ? "</details>\n" : "");
        }
        return b.toString();
    }
}
