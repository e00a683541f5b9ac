package dev.wirelab.fuzz;

import dev.wirelab.emulator.board.BoardConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads a guest profile file: {@code key = value} lines, {@code #} comment lines, blank lines. A
 * value is taken literally (no escapes, so a regex is written as is), so people write it by hand.
 * Every key is checked: an unknown or repeated key, a bad regex or number is a {@link BadProfile}
 * naming the file, the line and the key. The keys (fuzz/README.md has an example):
 * <pre>
 * name            short name for reports                  (default: the file's name)
 * image           ELF or raw image; relative to the file   (required)
 * bootargs        /chosen/bootargs                         (default: none)
 * ram             RAM size, 128M, 1G                       (default 128M)
 * ready.console   regex on the console: the guest is up     (one of ready.*)
 * ready.symbol    function whose entry means the guest is up
 * guest.ip        the guest's IPv4 address                  (default 10.0.2.15)
 * port.listen     port the lab's agent listens on           (default 5000)
 * port.service    a port the guest serves itself            (default 7)
 * port.connect    peer port the guest connects to           (default 9)
 * panic.console   regex on the console: the guest panicked
 * panic.symbol    function whose entry means a panic
 * panic.exit      semihosting exit code that means a panic  (default: any non-zero)
 * coverage        ranges counted for coverage: 0xSTART-0xEND, comma separated (default: the ELF's text)
 * </pre>
 */
public final class GuestProfileFile {
    static final Set<String> KEYS = Set.of("name", "image", "bootargs", "ram", "ready.console", "ready.symbol",
            "guest.ip", "port.listen", "port.service", "port.connect", "panic.console", "panic.symbol", "panic.exit",
            "coverage");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    /** A profile that cannot be used: the message says which file, which key and what to do. */
    public static final class BadProfile extends IllegalArgumentException {
        public BadProfile(String message) {
            super(message);
        }
    }

    private GuestProfileFile() {
    }

    /** Reads {@code file}; a relative {@code image} is resolved against the file's folder. */
    public static GuestProfile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadProfile("profile " + file + ": cannot read it (" + e.getMessage() + ")");
        }
        Path dir = file.toAbsolutePath().getParent();
        String fallbackName = file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        GuestProfile p = parse(file.toString(), new StringReader(text), fallbackName, image -> {
            Path i = Path.of(image);
            return (i.isAbsolute() ? i : dir.resolve(i)).normalize().toString();
        });
        Path image = Path.of(p.image());
        if (!Files.isRegularFile(image) || !Files.isReadable(image)) {
            throw new BadProfile("profile " + file + ": image " + image + " is not a readable file (fix 'image'; a "
                    + "relative path is taken from the profile's folder)");
        }
        return p;
    }

    /** Reads a class-path profile ({@code /dev/wirelab/fuzz/profiles/...}); its image is a class-path resource. */
    static GuestProfile resource(String path) {
        try (InputStream in = GuestProfileFile.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("built-in profile " + path + " is missing from this build");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return parse(path, new StringReader(text), path, image -> image);
        } catch (IOException e) {
            throw new IllegalStateException("reading built-in profile " + path, e);
        }
    }

    static GuestProfile parse(String where, Reader text, String fallbackName,
                              java.util.function.UnaryOperator<String> imagePath) {
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        List<String> lines = new java.io.BufferedReader(text).lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            String at = where + ":" + (i + 1);
            if (eq <= 0) {
                throw new BadProfile("profile " + at + ": '" + l + "' is not 'key = value'");
            }
            String key = l.substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new BadProfile("profile " + at + ": unknown key '" + key + "' (known: "
                        + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
            if (v.containsKey(key)) {
                throw new BadProfile("profile " + at + ": '" + key + "' is given twice (first on line "
                        + lineOf.get(key) + ")");
            }
            v.put(key, l.substring(eq + 1).strip());
            lineOf.put(key, i + 1);
        }
        Keys k = new Keys(where, v, lineOf);
        String image = k.text("image");
        if (image == null) {
            throw new BadProfile("profile " + where + ": 'image' is missing (the kernel's ELF or raw image)");
        }
        Pattern readyConsole = k.regex("ready.console");
        String readySymbol = k.text("ready.symbol");
        if (readyConsole == null && readySymbol == null) {
            throw new BadProfile("profile " + where + ": say when the guest is ready with ready.console (a regex) or "
                    + "ready.symbol (a function)");
        }
        Pattern panicConsole = k.regex("panic.console");
        String panicSymbol = k.text("panic.symbol");
        Long exit = k.number("panic.exit", null, Integer.MIN_VALUE, Integer.MAX_VALUE);
        String ip = k.text("guest.ip") == null ? "10.0.2.15" : k.text("guest.ip");
        var m = IPV4.matcher(ip);
        if (!m.matches() || java.util.stream.IntStream.rangeClosed(1, 4).anyMatch(g -> Integer.parseInt(m.group(g)) > 255)) {
            throw new BadProfile("profile " + where + ": guest.ip '" + ip + "' is not an IPv4 address like 10.0.2.15");
        }
        long ram = BoardConfig.defaults().ramSize();
        if (k.text("ram") != null) {
            try {
                ram = BoardConfig.parseSize(k.text("ram"));
                BoardConfig.defaults().withRamSize(ram);
            } catch (IllegalArgumentException e) {
                throw new BadProfile("profile " + where + ": ram '" + k.text("ram") + "': " + e.getMessage());
            }
        }
        String name = k.text("name") == null ? fallbackName : k.text("name");
        return new GuestProfile(name, imagePath.apply(image), readyConsole, ip,
                k.number("port.listen", 5000L, 1, 65535).intValue(), k.number("port.service", 7L, 1, 65535).intValue(),
                k.number("port.connect", 9L, 1, 65535).intValue(), panicConsole, panicSymbol,
                exit == null ? null : exit.intValue(), k.ranges("coverage"), readySymbol,
                k.text("bootargs") == null ? "" : k.text("bootargs"), ram);
    }

    /** Typed access to the checked values, each error naming file and key. */
    private record Keys(String where, Map<String, String> values, Map<String, Integer> lineOf) {
        String text(String key) {
            String s = values.get(key);
            return s == null || s.isEmpty() ? null : s;
        }

        Pattern regex(String key) {
            String s = text(key);
            if (s == null) {
                return null;
            }
            try {
                return Pattern.compile(s, Pattern.MULTILINE); // ^ and $ at each console line
            } catch (PatternSyntaxException e) {
                throw bad(key, "'" + s + "' is not a regex (" + e.getDescription() + " at index " + e.getIndex()
                        + "); quote literal text with \\Q...\\E");
            }
        }

        Long number(String key, Long fallback, long min, long max) {
            String s = text(key);
            if (s == null) {
                return fallback;
            }
            long n;
            try {
                n = s.startsWith("0x") ? Long.parseLong(s.substring(2), 16) : Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw bad(key, "'" + s + "' is not a number");
            }
            if (n < min || n > max) {
                throw bad(key, n + " is out of range (" + min + " to " + max + ")");
            }
            return n;
        }

        List<GuestProfile.Range> ranges(String key) {
            String s = text(key);
            List<GuestProfile.Range> out = new ArrayList<>();
            if (s == null) {
                return out;
            }
            for (String part : s.split(",")) {
                String[] ends = part.strip().split("-");
                try {
                    if (ends.length != 2) {
                        throw new NumberFormatException();
                    }
                    out.add(new GuestProfile.Range(Long.decode(ends[0].strip()), Long.decode(ends[1].strip())));
                } catch (NumberFormatException e) {
                    throw bad(key, "'" + part.strip() + "' is not a range like 0x40080000-0x400c0000");
                } catch (IllegalArgumentException e) {
                    throw bad(key, e.getMessage());
                }
            }
            return out;
        }

        BadProfile bad(String key, String what) {
            return new BadProfile("profile " + where + ":" + lineOf.get(key) + ": " + key + ": " + what);
        }
    }
}
