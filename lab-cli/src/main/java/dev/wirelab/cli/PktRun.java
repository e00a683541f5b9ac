package dev.wirelab.cli;

import dev.wirelab.emulator.lab.BadArgument;
import dev.wirelab.emulator.lab.Lab;
import dev.wirelab.emulator.lab.LabFailure;
import dev.wirelab.emulator.pkt.PktParser;
import dev.wirelab.emulator.pkt.PktRunner;
import dev.wirelab.emulator.pkt.PktScript;
import dev.wirelab.emulator.pkt.PktSyntaxError;

import java.nio.file.Path;

/**
 * {@code wirelab run FILE.pkt}: a packetdrill script against the default guest. Exit 0 pass, 1 a
 * packet, syscall or timing did not match (packetdrill's {@code FILE:LINE: error ...} lines), 2 a
 * malformed script ({@code FILE:LINE:COLUMN}) or a line the lab cannot run ({@code unsupported at
 * FILE:LINE}), 124 budget, 130 Ctrl-C.
 */
final class PktRun {
    /** Command-line overrides of the script's own options; null: not given. */
    record Overrides(Long toleranceUsecs, String localIp, String remoteIp, boolean ignoreShell) {
        boolean any() {
            return toleranceUsecs != null || localIp != null || remoteIp != null || ignoreShell;
        }

        PktRunner.Settings apply(PktRunner.Settings s) {
            if (toleranceUsecs != null) {
                if (toleranceUsecs <= 0) {
                    throw new UserError("--tolerance-usecs " + toleranceUsecs + ": expected a positive number of microseconds");
                }
                s = s.withToleranceUsecs(toleranceUsecs);
            }
            return s.withAddresses(localIp, remoteIp).withIgnoreShell(ignoreShell || s.ignoreShell());
        }
    }

    private PktRun() { }

    /** Reads and parses {@code file} (a bad script is a {@link UserError} carrying FILE:LINE:COLUMN). */
    static PktScript parse(Path file) {
        String text = RunCommand.readScript(file);
        try {
            return PktParser.parse(file.toString(), text);
        } catch (PktSyntaxError e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Runs {@code file} against {@code guest}: {@code default}, {@code zoo:NAME} or an image file. */
    static int run(Path file, String guest, Overrides overrides, long maxInsns, boolean traceHash, Path capture, Io io) {
        PktScript script;
        try {
            script = parse(file);
        } catch (UserError e) {
            if (!(e.getCause() instanceof PktSyntaxError)) {
                throw e;
            }
            io.err().println(e.getMessage()); // FILE:LINE:COLUMN: message, as compilers print it
            return ExitCodes.BAD_INPUT;
        }
        PktRunner.Settings settings = overrides.apply(PktRunner.Settings.defaults().with(script));
        if (capture != null) {
            CaptureFile.checkWritable(capture); // before the run, not after it
        }
        try (Lab lab = new Lab()) {
            lab.setBudget(maxInsns);
            int code = ExitCodes.INTERNAL; // until the run says otherwise
            CaptureFile recording = null;
            try {
                lab.boot(guest.equals("default") ? java.util.Map.of() : java.util.Map.of("image", guest));
                recording = capture == null ? null : CaptureFile.record(lab.getWire(), capture);
                PktRunner.run(lab, script, settings);
                io.out().println("ok: " + file + ": " + script.events().size() + " events passed at "
                        + lab.getTime() + " of virtual time");
                code = ExitCodes.OK;
            } catch (LabFailure f) {
                io.err().println(f.getMessage());
                var panic = lab.getPanic();
                if (panic != null && !f.getMessage().contains("guest panicked")) {
                    io.err().println("guest panicked: " + panic.title());
                }
                code = f.kind() == LabFailure.Kind.EXPECTATION_FAILED ? 1 : f.kind().exitCode();
            } catch (BadArgument b) {
                io.err().println(b.getMessage());
                code = ExitCodes.BAD_INPUT;
            } finally {
                if (recording != null) {
                    // a failing run's capture is part of its report, on stderr beside it
                    recording.finish("", code == ExitCodes.OK ? io.out() : io.err(), io.err());
                }
            }
            if (traceHash && lab.isBooted()) {
                TraceHashOption.print(io.out(), lab.trace.getHash());
            }
            return code;
        }
    }
}
