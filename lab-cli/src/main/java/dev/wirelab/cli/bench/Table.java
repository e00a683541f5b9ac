package dev.wirelab.cli.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A plain-text table that several producers append rows to (each benchmark adds
 * its own), printed once at the end with aligned columns and notes below.
 * Cells that look like numbers are right-aligned.
 */
public final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public Table(String... header) {
        this.header = List.of(header);
    }

    /** Adds a row; missing trailing cells are blank, extra cells are an error. */
    public Table row(String... cells) {
        if (cells.length > header.size()) {
            throw new IllegalArgumentException("row has " + cells.length + " cells, table has " + header.size()
                    + " columns: " + Arrays.toString(cells));
        }
        List<String> r = new ArrayList<>(Arrays.asList(cells));
        while (r.size() < header.size()) {
            r.add("");
        }
        rows.add(List.copyOf(r));
        return this;
    }

    /** A line printed under the table (how something was measured, what was missing). */
    public Table note(String line) {
        notes.add(line);
        return this;
    }

    public List<List<String>> rows() {
        return List.copyOf(rows);
    }

    public List<String> notes() {
        return List.copyOf(notes);
    }

    public void print(PrintStream out) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        line(out, header, width, false);
        StringBuilder rule = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            rule.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
        }
        out.println(rule);
        for (List<String> r : rows) {
            line(out, r, width, true);
        }
        for (String n : notes) {
            out.println(n);
        }
        out.flush();
    }

    private static void line(PrintStream out, List<String> cells, int[] width, boolean alignNumbers) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < width.length; c++) {
            String cell = cells.get(c);
            String pad = " ".repeat(width[c] - cell.length());
            sb.append(c == 0 ? "" : "  ");
            sb.append(alignNumbers && c > 0 && numeric(cell) ? pad + cell : cell + pad);
        }
        out.println(sb.toString().stripTrailing());
    }

    private static boolean numeric(String cell) {
        return !cell.isEmpty() && (Character.isDigit(cell.charAt(0)) || cell.charAt(0) == '-' && cell.length() > 1
                && Character.isDigit(cell.charAt(1)));
    }
}
