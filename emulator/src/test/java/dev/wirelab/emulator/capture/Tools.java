package dev.wirelab.emulator.capture;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs external capture tools (tshark, tcpdump, editcap) with a time bound (test helper). */
final class Tools {
    private Tools() {
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static boolean isRoot() {
        try {
            return "0".equals(run(List.of("id", "-u"), 10).strip());
        } catch (IOException e) {
            return false;
        }
    }

    /** Runs to completion; returns stdout; fails on a non-zero exit or on timeout. */
    static String run(List<String> cmd, int timeoutSeconds) throws IOException {
        Path err = Files.createTempFile("wirelab-tool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(cmd + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IOException(cmd + " exited " + p.exitValue() + ": " + Files.readString(err));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
