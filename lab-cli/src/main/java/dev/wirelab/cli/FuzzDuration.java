package dev.wirelab.cli;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as users write them for campaigns: {@code 90s}, {@code 10m}, {@code 2h}, {@code 1h30m}, {@code 45}. */
public final class FuzzDuration {
    private static final Pattern PART = Pattern.compile("(\\d+)([hms])");

    private FuzzDuration() {
    }

    /** Whole seconds, at least 1; a bare number is seconds. */
    public static long parseSeconds(String option, String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        long total = 0;
        if (s.matches("\\d{1,9}")) {
            total = Long.parseLong(s);
        } else if (s.matches("(\\d{1,9}[hms])+")) {
            Matcher m = PART.matcher(s);
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total += switch (m.group(2)) {
                    case "h" -> n * 3600;
                    case "m" -> n * 60;
                    default -> n;
                };
            }
        } else {
            throw new UserError(option + " " + text + ": not a duration (write e.g. 90s, 10m, 2h or 1h30m)");
        }
        if (total < 1) {
            throw new UserError(option + " " + text + ": give at least one second");
        }
        return total;
    }
}
