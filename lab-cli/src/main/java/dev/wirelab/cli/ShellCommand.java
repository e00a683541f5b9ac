package dev.wirelab.cli;

import dev.wirelab.cli.shell.Shell;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code wirelab shell}: the interactive lab (JLine + Groovy). */
@Command(name = "shell", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"An interactive Groovy shell with the lab bound: boots the default guest, then type 'help'.",
                "History is kept in ~/.wirelab_history; 'save FILE' writes the session as a script for 'wirelab run'."})
public final class ShellCommand implements Callable<Integer> {
    private final Io io;

    @Option(names = "--no-boot", description = "Start without booting the default guest (call boot(...) yourself).")
    boolean noBoot;

    @Option(names = "--history", paramLabel = "FILE", description = "History file (default: ~/.wirelab_history).")
    Path history;

    @Option(names = "--max-heap", paramLabel = "SIZE", converter = Numbers.Size.class,
            description = "Heap one input may use before it is stopped, e.g. 512M (default: 3/4 of the JVM's).")
    Long maxHeap;

    @Option(names = "--capture", paramLabel = "FILE.pcapng",
            description = "Record every frame of the session's last boot to FILE.pcapng (timestamps virtual), "
                    + "written when the shell exits.")
    Path capture;

    public ShellCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        Path h = history != null ? history : Path.of(System.getProperty("user.home"), ".wirelab_history");
        try {
            if (capture != null) {
                CaptureFile.checkWritable(capture); // before the session, not after it
            }
            return Shell.run(h, !noBoot, maxHeap == null ? 0 : maxHeap, capture);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
        }
    }
}
