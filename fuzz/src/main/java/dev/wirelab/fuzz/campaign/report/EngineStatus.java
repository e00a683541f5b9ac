package dev.wirelab.fuzz.campaign.report;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One libFuzzer status line ({@code #4096 pulse cov: 85 ft: 101 corp: 5/60b exec/s: 34 rss: 400Mb}):
 * the only progress a worker JVM reports, so the campaign reads its workers' logs for it.
 *
 * @param execs     executions so far in that worker
 * @param coverage  libFuzzer's {@code cov:} (guest edges fed through the Jazzer counters plus harness edges)
 * @param newInput  true for a {@code NEW} line: the corpus grew with new coverage
 */
public record EngineStatus(long execs, long coverage, boolean newInput) {
    private static final Pattern LINE = Pattern.compile("^#(\\d+)\\s+(\\w+)\\s+cov: (\\d+)\\b.*");

    /** Empty for any line that is not a status line. */
    public static Optional<EngineStatus> parse(String line) {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new EngineStatus(Long.parseLong(m.group(1)), Long.parseLong(m.group(3)),
                m.group(2).equals("NEW")));
    }
}
