package dev.wirelab.cli;

import java.io.PrintStream;
import java.util.List;

/** A titled ASCII box around a few lines of explanation. */
final class Frame {
    private Frame() { }

    static void print(PrintStream out, String title, List<String> lines) {
        int width = title.length() + 4;
        for (String l : lines) {
            width = Math.max(width, l.length());
        }
        out.println("+- " + title + " " + "-".repeat(width - title.length() - 1) + "+");
        for (String l : lines) {
            out.println("| " + l + " ".repeat(width - l.length()) + " |");
        }
        out.println("+" + "-".repeat(width + 2) + "+");
        out.flush();
    }
}
