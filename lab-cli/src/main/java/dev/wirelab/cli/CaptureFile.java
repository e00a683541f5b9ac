package dev.wirelab.cli;

import dev.wirelab.emulator.net.CaptureRecorder;
import dev.wirelab.emulator.net.VirtualWire;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A command's {@code --capture FILE.pcapng}, the same in demo, boot, replay and run: the path is
 * checked before anything runs ({@link #checkWritable}), the recording starts on the wire
 * ({@link #record}), and finishing it (the file appears atomically, {@link CaptureRecorder}) says in
 * one line where it went ({@code capture: FILE (N frames; timestamps are virtual)}) or why it could
 * not be written.
 */
public final class CaptureFile implements AutoCloseable {
    private final Path file;
    private final CaptureRecorder recorder;

    private CaptureFile(Path file, CaptureRecorder recorder) {
        this.file = file;
        this.recorder = recorder;
    }

    /** Refuses, before the run, a path that cannot become a file: a folder, or a missing or read-only folder. */
    public static void checkWritable(Path file) {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new UserError("--capture " + file + ": is a folder; name a file in it, e.g. " + file.resolve("demo.pcapng"));
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserError("--capture " + file + ": the folder " + dir + " does not exist; create it or choose another path");
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("--capture " + file + ": the folder " + dir + " is not writable; choose another path");
        }
    }

    /** Starts recording every frame on {@code wire} to {@code file}; a file that cannot be created is a {@link UserError}. */
    static CaptureFile record(VirtualWire wire, Path file) {
        try {
            return new CaptureFile(file, CaptureRecorder.toFile(wire, file));
        } catch (IOException e) {
            throw new UserError(cannotWrite(file, e), e);
        }
    }

    /** Frames recorded so far. */
    long frames() {
        return recorder.frames();
    }

    /**
     * Stops recording and writes the file; a failed write is a {@link UserError} (the target is then
     * left untouched). Closing twice is harmless.
     */
    @Override
    public void close() {
        try {
            recorder.close();
        } catch (IOException e) {
            throw new UserError(cannotWrite(file, e), e);
        }
    }

    /**
     * Closes and reports in one line: {@code capture: ...} on {@code out}, or why it could not be
     * written on {@code err}. {@code scope} says what part of the run the file holds ("" for all of it,
     * else e.g. {@code " of the last boot"}).
     */
    void finish(String scope, PrintStream out, PrintStream err) {
        try {
            recorder.close();
            report(file, recorder.frames(), scope, null, out, err);
        } catch (IOException e) {
            report(file, recorder.frames(), scope, e, out, err);
        }
    }

    /** {@code FILE (N frames<scope>; timestamps are virtual)}: what a finished capture holds. */
    String summary(String scope) {
        return summary(file, recorder.frames(), scope);
    }

    /** The one report of a finished capture (also for captures the lab itself recorded): where it went, or why not. */
    public static void report(Path file, long frames, String scope, IOException failure, PrintStream out, PrintStream err) {
        if (failure != null) {
            err.println("wirelab: " + cannotWrite(file, failure));
        } else {
            out.println("capture: " + summary(file, frames, scope));
        }
    }

    private static String summary(Path file, long frames, String scope) {
        return file + " (" + frames + " frames" + scope + "; timestamps are virtual)";
    }

    private static String cannotWrite(Path file, IOException e) {
        return "--capture " + file + ": cannot write (" + e.getMessage() + "): choose a writable path";
    }
}
