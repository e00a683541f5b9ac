package dev.wirelab.fuzz;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.board.BoardConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to fuzz one guest kernel: where its image is, when it is ready, how it panics, which
 * addresses count for coverage. The default guest and the zoo guests ship profiles as resources
 * ({@code profiles/*.profile}); {@code --profile FILE} reads the same format
 * ({@link GuestProfileFile}).
 *
 * @param name          a short name for reports ("default", "zoo:smoltcp-1048")
 * @param image         a class-path resource ("/guest/...") or a file path
 * @param readyPattern  console output that says the guest is up (null: readySymbol says it)
 * @param guestIp       the guest's IPv4 address
 * @param listenPort    the port the lab's agent listens on (tcp-listen, tcp-established)
 * @param servicePort   a port the guest itself serves (the default guest's echo on 7): connection slot 3 talks to it
 * @param connectPort   the peer port guest connects go to (tcp-interleave)
 * @param panicPattern  console output that means the guest panicked (null: none)
 * @param panicSymbol   a function whose entry means a panic (null: none)
 * @param panicExitCode a semihosting exit code that means a panic (null: any non-zero)
 * @param coverage      address ranges counted for coverage (empty: the ELF's executable segments)
 * @param readySymbol   a function whose entry says the guest is up (null: readyPattern says it)
 * @param bootArgs      /chosen/bootargs
 * @param ramSize       the board's RAM in bytes
 */
public record GuestProfile(String name, String image, Pattern readyPattern, String guestIp, int listenPort,
                           int servicePort, int connectPort, Pattern panicPattern, String panicSymbol, Integer panicExitCode,
                           List<Range> coverage, String readySymbol, String bootArgs, long ramSize) {
    /** {@code --guest profile:FILE}: how a profile file travels to a fuzzing child JVM. */
    public static final String FILE_PREFIX = "profile:";
    /** The default guest's panic banner (guest/README.md). */
    public static final Pattern DEFAULT_PANIC = Pattern.compile("!!! PANIC !!!");
    /** Where the shipped profiles are (class path). */
    static final String RESOURCES = "/dev/wirelab/fuzz/profiles/";
    /** The zoo guests, each modelled on a real report (lwip-2.1.3: real bugs wirelab found itself). */
    public static final List<String> ZOO = List.of("smoltcp-1048", "smoltcp-1136", "smoltcp-1144", "smoltcp-1161",
            "akuma-deadlock", "akuma-torn-state", "awkernel-682", "lwip-2.1.3");

    /** A coverage range [start, end) of guest virtual addresses. */
    public record Range(long start, long end) {
        public Range {
            if (end <= start) {
                throw new IllegalArgumentException(String.format("empty coverage range [0x%x, 0x%x)", start, end));
            }
        }
    }

    public GuestProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(image, "image");
        if (readyPattern == null && readySymbol == null) {
            throw new IllegalArgumentException("profile " + name + ": no readiness (a console pattern or a symbol)");
        }
        Objects.requireNonNull(guestIp, "guestIp");
        coverage = List.copyOf(coverage);
        bootArgs = bootArgs == null ? "" : bootArgs;
    }

    /** The board this guest boots on (the lab's defaults plus the profile's RAM and bootargs). */
    public BoardConfig boardConfig() {
        return BoardConfig.defaults().withRamSize(ramSize).withBootArgs(bootArgs);
    }

    /** The {@code lab.until} spec that runs the booted guest until it is ready, or {@code within} passes. */
    public Map<String, Object> readiness(Object within) {
        Map<String, Object> spec = new LinkedHashMap<>();
        if (readyPattern != null) {
            spec.put("console", readyPattern);
        }
        if (readySymbol != null) {
            spec.put("symbol", readySymbol);
        }
        spec.put("within", within);
        return spec;
    }

    /** What says the guest is up, for messages. */
    public String readinessText() {
        return readyPattern != null ? "console /" + readyPattern + "/" : "symbol " + readySymbol;
    }

    /** The embedded default guest (lwIP 2.1.3): its shipped profile. */
    public static GuestProfile defaultGuest() {
        return GuestProfileFile.resource(RESOURCES + "default.profile");
    }

    /** A zoo guest by name ("smoltcp-1048"), as built by the guest module. */
    public static GuestProfile zoo(String name) {
        if (!ZOO.contains(name)) {
            throw new IllegalArgumentException("unknown zoo guest '" + name + "' (known: " + String.join(", ", ZOO) + ")");
        }
        return GuestProfileFile.resource(RESOURCES + "zoo-" + name + ".profile");
    }

    /** {@code default}, {@code zoo:NAME}, {@code profile:FILE} or an image path with the default guest's conventions. */
    public static GuestProfile named(String spec) {
        if (spec == null || spec.isEmpty() || spec.equals("default")) {
            return defaultGuest();
        }
        if (spec.startsWith("zoo:")) {
            return zoo(spec.substring(4));
        }
        if (spec.startsWith(FILE_PREFIX)) {
            return GuestProfileFile.load(Path.of(spec.substring(FILE_PREFIX.length())));
        }
        GuestProfile d = defaultGuest();
        return new GuestProfile(spec, spec, d.readyPattern(), d.guestIp(), d.listenPort(), d.servicePort(),
                d.connectPort(), d.panicPattern(), d.panicSymbol(), d.panicExitCode(), List.of(), d.readySymbol(),
                d.bootArgs(), d.ramSize());
    }

    /** Loads the image: a class-path resource when it starts with '/' and exists there, else a file. */
    public BootImage load() {
        try (InputStream in = GuestProfile.class.getResourceAsStream(image)) {
            if (in != null) {
                return BootImages.parse(image.substring(image.lastIndexOf('/') + 1), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + image, e);
        }
        Path p = Path.of(image);
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException("guest image " + image + " is neither a resource in this build nor a file"
                    + (image.startsWith("/guest/zoo/") ? " (the zoo guests come from the guest module's zoo build)" : ""));
        }
        return BootImages.load(p);
    }
}
