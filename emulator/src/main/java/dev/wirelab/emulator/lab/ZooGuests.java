package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.boot.BadImageException;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The bug zoo: variants of the default guest, each with one planted bug modelled on a
 * real report (guest/kernel/zoo/), shipped as resources {@code /guest/zoo/NAME.elf} with
 * {@code NAME.txt} (first line: the report; then what the bug is and how it shows).
 * Named {@code zoo:NAME} wherever an image is chosen ({@code boot(image: 'zoo:smoltcp-1048')}).
 */
public final class ZooGuests {
    /** The prefix that names a zoo guest instead of a file. */
    public static final String PREFIX = "zoo:";
    private static final String DIR = "/guest/zoo/";

    /** One zoo guest: its name and its description file's lines. */
    public record Entry(String name, String report, List<String> details) { }

    private ZooGuests() { }

    /** True when {@code spec} names a zoo guest ({@code zoo:NAME}). */
    public static boolean isZooName(Object spec) {
        return spec instanceof CharSequence s && s.toString().startsWith(PREFIX);
    }

    /** Every zoo guest in this build, in name order. */
    public static List<String> names() {
        return resource("index.txt").map(t -> t.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList())
                .orElse(List.of());
    }

    /** The guest named by {@code spec} ({@code zoo:NAME} or {@code NAME}); bad input for an unknown name. */
    public static BootImage load(String spec) {
        return parse(spec, elf(spec));
    }

    /** The ELF bytes of the guest named by {@code spec}; bad input for an unknown name. */
    public static byte[] elf(String spec) {
        String name = bare(spec);
        return bytes(name + ".elf").orElseThrow(() -> unknown(name));
    }

    /** Parses {@code elf}, the bytes of the guest named by {@code spec}. */
    public static BootImage parse(String spec, byte[] elf) {
        return BootImages.parse(bare(spec) + ".elf", elf);
    }

    /** The description of the guest named by {@code spec}. */
    public static Entry describe(String spec) {
        String name = bare(spec);
        List<String> lines = resource(name + ".txt").orElseThrow(() -> unknown(name)).lines().toList();
        return new Entry(name, lines.isEmpty() ? "" : lines.get(0), lines.isEmpty() ? List.of() : lines.subList(1, lines.size()));
    }

    private static String bare(String spec) {
        return spec.startsWith(PREFIX) ? spec.substring(PREFIX.length()) : spec;
    }

    private static BadImageException unknown(String name) {
        List<String> all = names();
        return new BadImageException("unknown zoo guest '" + name + "': "
                + (all.isEmpty() ? "this build has no bug zoo (rebuild with scripts/build)" : "known: " + String.join(", ", all)));
    }

    private static Optional<String> resource(String file) {
        return bytes(file).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static Optional<byte[]> bytes(String file) {
        if (file.contains("/") || file.contains("..")) {
            return Optional.empty();
        }
        try (InputStream in = ZooGuests.class.getResourceAsStream(DIR + file)) {
            return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the zoo guest resource " + DIR + file, e);
        }
    }
}
