package dev.wirelab.cli;

import dev.wirelab.fuzz.GuestProfile;
import dev.wirelab.fuzz.GuestProfileFile;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --guest} and {@code --profile}: the guest a fuzz run boots, checked here before a JVM is
 * started for it (a picocli mixin of {@code fuzz} and {@code fuzz merge}).
 */
public final class GuestOptions {
    @Option(names = "--guest", paramLabel = "IMAGE|zoo:NAME", defaultValue = "default",
            description = "The guest: default, zoo:NAME or an image file (default: the embedded default guest).")
    String guest;

    @Option(names = "--profile", paramLabel = "FILE", description = "A guest profile file: your own kernel's image, "
            + "boot options, readiness, address and ports, panic signs and coverage ranges (fuzz/README.md). "
            + "--guest zoo:NAME is the zoo guest's shipped profile.")
    Path profile;

    /**
     * The guest spec the fuzz child reads ({@link GuestProfile#named}): {@code --guest} checked, or
     * {@code profile:FILE} for a {@code --profile} that loads (whose guest is then named on {@code io}).
     */
    String spec(Io io) {
        checkGuest(guest);
        if (profile == null) {
            return guest;
        }
        if (!guest.equals("default")) {
            throw new UserError("--profile and --guest " + guest + " both name a guest: give one of them");
        }
        try {
            GuestProfile p = GuestProfileFile.load(profile);
            io.out().println("guest: " + p.name() + " (" + p.image() + ", profile " + profile + ")");
            return GuestProfile.FILE_PREFIX + profile.toAbsolutePath().normalize();
        } catch (GuestProfileFile.BadProfile e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    private static void checkGuest(String g) {
        if (g.equals("default")) {
            return;
        }
        if (g.startsWith("zoo:")) {
            if (!GuestProfile.ZOO.contains(g.substring(4))) {
                throw new UserError("--guest " + g + ": no such zoo guest (known: zoo:" + String.join(", zoo:",
                        GuestProfile.ZOO) + ")");
            }
            return;
        }
        if (!Files.isRegularFile(Path.of(g)) || !Files.isReadable(Path.of(g))) {
            throw new UserError("--guest " + g + ": no such image file (give a path, default or zoo:NAME)");
        }
    }
}
