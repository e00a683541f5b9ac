package dev.wirelab.emulator.lab;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header a generated repro script starts with, so that whoever runs it learns whether it
 * still means what it says: which wirelab and which guest image made it, the board options,
 * the recorded outcome and the trace hash at the point of failure.
 *
 * <pre>
 * // wirelab-repro: 1
 * // title: tcp_input panics on an out-of-window FIN
 * // made-with: wirelab 0.1.0
 * // guest: default sha256=&lt;64 hex&gt;
 * // board: gic=3 ram=128M
 * // expect: reproduced
 * // trace-hash: &lt;64 hex&gt;
 * </pre>
 *
 * The header is the leading run of {@code //} comment lines; the first must be
 * {@code // wirelab-repro: 1}. Unknown keys are ignored (a later version may add some);
 * missing or malformed required keys are a {@link Malformed} error naming the line.
 */
public record ReproHeader(String title, String madeWith, Guest guest, String board, Outcome expect, String traceHash) {
    public static final int VERSION = 1;
    static final String MAGIC = "wirelab-repro";

    /** What the repro recorded: the bug reproduced, or the run was clean. */
    public enum Outcome {
        REPRODUCED("reproduced"), NOT_REPRODUCED("not-reproduced");

        private final String text;

        Outcome(String text) {
            this.text = text;
        }

        public String text() {
            return text;
        }

        static Optional<Outcome> parse(String s) {
            for (Outcome o : values()) {
                if (o.text.equals(s)) {
                    return Optional.of(o);
                }
            }
            return Optional.empty();
        }
    }

    /** Where the guest image comes from. */
    public enum GuestKind { DEFAULT, ZOO, FILE }

    /** The guest image: its kind, name (zoo guest or file name; "default" for the embedded one) and SHA-256. */
    public record Guest(GuestKind kind, String name, String sha256) {
        public Guest {
            requireHex(sha256, "guest sha256");
        }

        String render() {
            String where = switch (kind) {
                case DEFAULT -> "default";
                case ZOO -> "zoo:" + name;
                case FILE -> "file:" + name;
            };
            return where + " sha256=" + sha256;
        }
    }

    /** A header that is present (its first line is the magic) but not well formed. */
    public static final class Malformed extends IllegalArgumentException {
        public Malformed(String message) {
            super(message);
        }
    }

    public ReproHeader {
        if (title == null || title.isBlank() || title.contains("\n")) {
            throw new IllegalArgumentException("repro title must be one non-empty line");
        }
        if (madeWith == null || madeWith.isBlank() || board == null || board.contains("\n")) {
            throw new IllegalArgumentException("repro made-with and board must be one line each");
        }
        java.util.Objects.requireNonNull(guest, "guest");
        java.util.Objects.requireNonNull(expect, "expect");
        requireHex(traceHash, "trace-hash");
    }

    private static final Pattern LINE = Pattern.compile("//\\s*([A-Za-z-]+):\\s?(.*)");
    private static final Pattern GUEST = Pattern.compile("(default|zoo:(\\S+)|file:(.+?))\\s+sha256=([0-9a-fA-F]{64})");

    /**
     * The header at the top of {@code scriptText}, if it has one (empty when the script does not
     * start with {@code // wirelab-repro:}). Leading blank lines and a {@code #!} line are skipped.
     *
     * @throws Malformed when the header is there but a key is missing or wrong
     */
    public static Optional<ReproHeader> parse(String scriptText) {
        Map<String, String> fields = new LinkedHashMap<>();
        Map<String, Integer> lines = new LinkedHashMap<>();
        int lineNo = 0;
        boolean started = false;
        for (String raw : scriptText.split("\n", -1)) {
            lineNo++;
            String line = raw.strip();
            if (!started && (line.isEmpty() || line.startsWith("#!"))) {
                continue;
            }
            if (!line.startsWith("//")) {
                break;
            }
            Matcher m = LINE.matcher(line);
            if (!started) {
                if (!m.matches() || !m.group(1).equals(MAGIC)) {
                    return Optional.empty();
                }
                started = true;
                if (!m.group(2).strip().equals(String.valueOf(VERSION))) {
                    throw new Malformed("line " + lineNo + ": repro header version '" + m.group(2).strip()
                            + "' is not supported (this wirelab reads version " + VERSION + ")");
                }
                continue;
            }
            if (m.matches()) {
                String key = m.group(1).toLowerCase(Locale.ROOT);
                fields.putIfAbsent(key, m.group(2).strip());
                lines.putIfAbsent(key, lineNo);
            }
        }
        if (!started) {
            return Optional.empty();
        }
        String title = need(fields, "title");
        String madeWith = need(fields, "made-with");
        String guestText = need(fields, "guest");
        Matcher g = GUEST.matcher(guestText);
        if (!g.matches()) {
            throw new Malformed("line " + lines.get("guest") + ": guest must be 'default|zoo:NAME|file:NAME sha256=<64 hex>', got '"
                    + guestText + "'");
        }
        GuestKind kind = g.group(2) != null ? GuestKind.ZOO : g.group(3) != null ? GuestKind.FILE : GuestKind.DEFAULT;
        String name = kind == GuestKind.ZOO ? g.group(2) : kind == GuestKind.FILE ? g.group(3) : "default";
        Guest guest = new Guest(kind, name, g.group(4).toLowerCase(Locale.ROOT));
        String board = fields.getOrDefault("board", "");
        String expectText = need(fields, "expect");
        Outcome expect = Outcome.parse(expectText).orElseThrow(() -> new Malformed("line " + lines.get("expect")
                + ": expect must be 'reproduced' or 'not-reproduced', got '" + expectText + "'"));
        String hash = need(fields, "trace-hash").toLowerCase(Locale.ROOT);
        if (!isHex(hash)) {
            throw new Malformed("line " + lines.get("trace-hash") + ": trace-hash must be 64 hex digits, got '" + hash + "'");
        }
        return Optional.of(new ReproHeader(title, madeWith, guest, board, expect, hash));
    }

    /** The header as comment lines (each ending in a newline), ready to put before the script body. */
    public String render() {
        return "// " + MAGIC + ": " + VERSION + "\n"
                + "// title: " + title + "\n"
                + "// made-with: " + madeWith + "\n"
                + "// guest: " + guest.render() + "\n"
                + "// board: " + board + "\n"
                + "// expect: " + expect.text() + "\n"
                + "// trace-hash: " + traceHash + "\n";
    }

    /** What a run of the repro showed: the guest image it booted, whether the bug reproduced, the trace hash. */
    public record Observed(String version, String imageName, String imageSha256, boolean reproduced, String traceHash) { }

    /**
     * One line per way this run differs from what the header recorded: another wirelab, another guest
     * image, another outcome, or the same outcome reached differently (another trace hash). Empty when
     * the run matches the header.
     */
    public java.util.List<String> differences(Observed run) {
        java.util.List<String> out = new java.util.ArrayList<>();
        String made = madeWith.startsWith("wirelab ") ? madeWith.substring(8) : madeWith;
        if (run.version() != null && !run.version().equals(made)) {
            out.add("repro was made with wirelab " + made + "; this is wirelab " + run.version());
        }
        if (run.imageSha256() != null && !run.imageSha256().equalsIgnoreCase(guest.sha256())) {
            out.add("repro was made with guest " + guest.render() + "; this run uses " + run.imageName() + " sha256="
                    + run.imageSha256());
        }
        boolean wanted = expect == Outcome.REPRODUCED;
        if (wanted && !run.reproduced()) {
            out.add("repro recorded 'reproduced' but this run did not reproduce the bug (trace hash " + run.traceHash() + ")");
        } else if (!wanted && run.reproduced()) {
            out.add("repro recorded 'not-reproduced' but this run reproduced the bug (trace hash " + run.traceHash() + ")");
        } else if (run.traceHash() != null && !run.traceHash().equalsIgnoreCase(traceHash)) {
            out.add("repro " + (wanted ? "reproduced" : "ran") + " differently: trace hash " + run.traceHash()
                    + ", the repro recorded " + traceHash);
        }
        return out;
    }

    private static String need(Map<String, String> fields, String key) {
        String v = fields.get(key);
        if (v == null || v.isEmpty()) {
            throw new Malformed("repro header has no '// " + key + ": ...' line");
        }
        return v;
    }

    private static boolean isHex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        try {
            HexFormat.of().parseHex(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void requireHex(String s, String what) {
        if (!isHex(s)) {
            throw new IllegalArgumentException(what + " must be 64 hex digits, got '" + s + "'");
        }
    }
}
