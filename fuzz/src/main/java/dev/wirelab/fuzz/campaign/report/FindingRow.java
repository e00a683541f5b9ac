package dev.wirelab.fuzz.campaign.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * One stored finding as the report shows it.
 *
 * @param id         its directory name under {@code findings/}
 * @param title      its title (from {@code report.txt})
 * @param firstSeen  when its directory appeared (host time: report only, never fed to the guest)
 * @param known      true when the baseline lists its title (not a new finding)
 * @param count      executions that ended with it: the first plus those the workers counted later
 *                   ({@code seen-PID} files, see campaign/FindingTally); at least this many
 */
public record FindingRow(String id, String title, Instant firstSeen, boolean known, long count) {

    /** A finding seen once. */
    public FindingRow(String id, String title, Instant firstSeen, boolean known) {
        this(id, title, firstSeen, known, 1);
    }

    /** The complete finding directories in {@code findings}, oldest first. */
    public static List<FindingRow> scan(Path findings, Set<String> baseline) throws IOException {
        List<FindingRow> rows = new ArrayList<>();
        if (!Files.isDirectory(findings)) {
            return rows;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(findings)) {
            for (Path d : ds) {
                String name = d.getFileName().toString();
                Path report = d.resolve("report.txt");
                if (name.startsWith(".") || !Files.isRegularFile(report)) {
                    continue; // staging directory of a save in progress
                }
                String title = Files.readAllLines(report, StandardCharsets.UTF_8).stream()
                        .filter(l -> l.startsWith("title:")).findFirst()
                        .map(l -> l.substring("title:".length()).strip()).orElse(name);
                rows.add(new FindingRow(name, title, Files.getLastModifiedTime(d).toInstant(),
                        baseline.contains(title), 1 + seenAgain(d)));
            }
        }
        rows.sort(Comparator.comparing(FindingRow::firstSeen).thenComparing(FindingRow::id));
        return rows;
    }

    /** The sum of the workers' {@code seen-PID} counts in a finding's directory; unreadable ones count 0. */
    private static long seenAgain(Path finding) throws IOException {
        long n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(finding, "seen-*")) {
            for (Path p : ds) {
                try {
                    n += Math.max(0, Long.parseLong(Files.readString(p, StandardCharsets.US_ASCII).strip()));
                } catch (IOException | NumberFormatException e) {
                    // a count file cut short or not ours: the column is "at least" anyway
                }
            }
        }
        return n;
    }
}
