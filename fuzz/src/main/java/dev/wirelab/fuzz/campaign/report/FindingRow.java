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
 */
public record FindingRow(String id, String title, Instant firstSeen, boolean known) {

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
                        baseline.contains(title)));
            }
        }
        rows.sort(Comparator.comparing(FindingRow::firstSeen).thenComparing(FindingRow::id));
        return rows;
    }
}
