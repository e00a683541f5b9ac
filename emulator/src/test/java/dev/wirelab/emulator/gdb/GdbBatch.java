package dev.wirelab.emulator.gdb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code gdb-multiarch --batch} with a command script against a stub, and keeps its output. */
final class GdbBatch {
    static final String GDB = System.getProperty("wirelab.gdb", "gdb-multiarch");

    private GdbBatch() { }

    /** Whether gdb-multiarch is on the PATH (tests skip when it is not; scripts/setup installs it). */
    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, GDB))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of(GDB));
    }

    /** Runs the commands (one per line, after loading {@code elf} and connecting to {@code port}); returns stdout+stderr. */
    static String run(Path elf, int port, List<String> commands) throws IOException, InterruptedException {
        Path script = Files.createTempFile("wirelab-gdb", ".gdb");
        try {
            List<String> lines = new ArrayList<>();
            lines.add("set pagination off");
            lines.add("set confirm off");
            lines.add("set architecture aarch64");
            if (elf != null) {
                lines.add("file " + elf);
            }
            lines.add("target remote 127.0.0.1:" + port);
            lines.addAll(commands);
            Files.write(script, lines);
            Process p = new ProcessBuilder(GDB, "--batch", "-nx", "-x", script.toString())
                    .redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("gdb did not finish");
            }
            return new String(out, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** The value printed for "p/x EXPR" lines tagged with "tag=" by "printf" or the last "$N = " match. */
    static String value(String out, String tag) {
        for (String line : out.split("\n")) {
            if (line.startsWith(tag + "=")) {
                return line.substring(tag.length() + 1).trim();
            }
        }
        throw new AssertionError("no '" + tag + "=' in gdb output:\n" + out);
    }
}
