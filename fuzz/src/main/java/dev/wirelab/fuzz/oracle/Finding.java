package dev.wirelab.fuzz.oracle;

import java.util.Objects;

/**
 * What an oracle saw. {@code title} is stable across executions of the same bug (no instruction
 * counts or addresses that move): findings are deduplicated by it.
 *
 * @param oracle which oracle ("panic", "fault", "hang", "liveness", ...)
 * @param title  the bug's one-line title
 * @param detail the evidence, several lines
 */
public record Finding(String oracle, String title, String detail) {
    public Finding {
        Objects.requireNonNull(oracle, "oracle");
        Objects.requireNonNull(title, "title");
        detail = detail == null ? "" : detail;
    }

    @Override
    public String toString() {
        return oracle + ": " + title;
    }
}
