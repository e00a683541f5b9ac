package dev.wirelab.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A third-party image a scripts/fetch-* script puts in .cache/; the test is skipped, saying why, without it. */
final class FetchedImage {
    private FetchedImage() { }

    /** Runs {@code scripts/SCRIPT} unless {@code .cache/CACHED} exists already; returns that file. */
    static Path get(String script, String cached, String what) throws Exception {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("scripts/" + script))) {
            root = root.getParent();
        }
        assumeTrue(root != null, "scripts/" + script + " not found: the " + what + " test is skipped");
        Path file = root.resolve(".cache/" + cached);
        if (Files.isRegularFile(file)) {
            return file;
        }
        Process p = new ProcessBuilder(root.resolve("scripts/" + script).toString()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        assumeTrue(done && p.exitValue() == 0 && Files.isRegularFile(file),
                what + " could not be fetched (scripts/" + script + "): the test is skipped\n" + log);
        return file;
    }
}
