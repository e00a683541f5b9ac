package dev.wirelab.fuzz.campaign.report;

import java.util.List;
import java.util.Locale;

/** A small line chart as inline SVG (the report must work offline, so no script and no external file). */
public final class SvgChart {
    private static final int W = 640;
    private static final int H = 260;
    private static final int LEFT = 60;
    private static final int BOTTOM = 40;
    private static final int TOP = 30;
    private static final int RIGHT = 20;

    private SvgChart() {
    }

    /** A chart of {@code ys} over {@code xs} (same length), axes labelled with their ranges. */
    public static String line(String title, String xLabel, String yLabel, List<Double> xs, List<Double> ys) {
        double xMax = Math.max(1, xs.stream().mapToDouble(Double::doubleValue).max().orElse(1));
        double yMax = Math.max(1, ys.stream().mapToDouble(Double::doubleValue).max().orElse(1)) * 1.1;
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">%n", W, H, W, H, Html.escape(title)));
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                LEFT, Html.escape(title)));
        int x0 = LEFT;
        int y0 = H - BOTTOM;
        int pw = W - LEFT - RIGHT;
        int ph = H - BOTTOM - TOP;
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                x0, y0, x0 + pw, y0));
        b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>%n",
                x0, y0, x0, TOP));
        for (int i = 0; i <= 4; i++) {
            double v = yMax * i / 4;
            int y = y0 - ph * i / 4;
            b.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    x0, y, x0 + pw, y, x0 - 4, y + 4, number(v)));
            double t = xMax * i / 4;
            int x = x0 + pw * i / 4;
            b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%s"
                    + "</text>%n", x, y0 + 15, number(t)));
        }
        b.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>%n",
                x0 + pw / 2, H - 6, Html.escape(xLabel)));
        b.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
                + "transform=\"rotate(-90 14 %d)\">%s</text>%n", TOP + ph / 2, TOP + ph / 2, Html.escape(yLabel)));
        StringBuilder pts = new StringBuilder();
        for (int i = 0; i < xs.size(); i++) {
            pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x0 + pw * xs.get(i) / xMax,
                    y0 - ph * ys.get(i) / yMax));
        }
        b.append("<polyline fill=\"none\" stroke=\"#1f6feb\" stroke-width=\"2\" points=\"").append(pts.toString().strip())
                .append("\"/>\n</svg>\n");
        return b.toString();
    }

    private static String number(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
