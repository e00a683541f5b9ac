package dev.wirelab.cli;

import dev.wirelab.cli.shell.ScriptRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelab run SCRIPT.groovy [ARGS]}: runs a lab script deterministically ({@code FILE.pkt}: a packetdrill script, {@link PktRun}). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Runs a Groovy lab script (see scripts/README.md); the same script gives the same run.",
                "A .pkt file runs as a packetdrill script against the default guest, or the one its argument names "
                        + "(zoo:NAME, IMAGE) (docs: corpora/pkt/README.md).",
                "Exit code: 0 checks passed (or the script skipped itself), 1 an expect/check failed, the script "
                        + "reported the bug or the guest panicked (a report is printed), 2 script error (file:line), "
                        + "124 instruction budget or --timeout ran out, 130 Ctrl-C.",
                "Scripts run sandboxed (the lab API and safe classes only; see scripts/README.md); --trusted for your own."})
public final class RunCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", paramLabel = "SCRIPT", description = "The .groovy script.")
    Path script;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments, in the script's 'args' list (a .pkt: the guest, default|zoo:NAME|IMAGE).")
    List<String> args = new ArrayList<>();

    @Mixin
    InstructionBudgetOption maxInsns;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "0",
            description = "Stop a script that runs longer than this in host time (a loop that never runs the guest); "
                    + "exit 124. Default: no limit.")
    long timeoutSeconds;

    @Option(names = "--max-heap", paramLabel = "SIZE", converter = Numbers.Size.class,
            description = "Heap the script may use before it is stopped (exit 2), e.g. 512M. Default: 3/4 of the JVM's.")
    Long maxHeap;

    @Option(names = "--trusted", description = "Run the script as full Groovy, outside the sandbox (only for scripts "
            + "you wrote or read: it gets your rights). Default: sandboxed, the lab API and safe classes only.")
    boolean trusted;

    @Option(names = "--out", paramLabel = "DIR", description = "A folder the lab API may use besides the working "
            + "directory and the script's own folder (sandboxed scripts only).")
    Path outDir;

    @Mixin
    TraceHashOption traceHash;

    @Option(names = "--gdb", paramLabel = "PORT",
            description = "lab.gdb() in the script serves GDB on 127.0.0.1:PORT; a script that never calls it lends "
                    + "its end state to GDB before exiting.")
    Integer gdbPort;

    @Option(names = {"--tolerance-usecs", "--tolerance_usecs"}, paramLabel = "USECS",
            description = ".pkt scripts: packetdrill's timing tolerance (default 4000, or 12.5%% of the gap if larger).")
    Long toleranceUsecs;

    @Option(names = {"--local-ip", "--local_ip"}, paramLabel = "IP",
            description = ".pkt scripts: the script's address for the guest (default 192.168.0.1).")
    String localIp;

    @Option(names = {"--remote-ip", "--remote_ip"}, paramLabel = "IP",
            description = ".pkt scripts: the script's address for the scripted peer (default 192.0.2.1).")
    String remoteIp;

    @Option(names = "--capture", paramLabel = "FILE.pcapng",
            description = "Record every frame of the run (from boot; a Groovy script's last boot) to FILE.pcapng, "
                    + "timestamps virtual; a failure's report names it.")
    Path capture;

    @Option(names = "--ignore-shell", description = ".pkt scripts: skip `shell` lines and %%{ python }%% blocks "
            + "instead of refusing the script (exit 2).")
    boolean ignoreShell;

    public RunCommand(Io io) {
        this.io = io;
    }

    /** The text of a script to run (Groovy or .pkt); a missing or unreadable file is a {@link UserError}. */
    static String readScript(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new UserError(file + ": no such script: check the path", e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public Integer call() {
        if (gdbPort != null && (gdbPort < 0 || gdbPort > 65535)) {
            throw new UserError("--gdb " + gdbPort + ": expected a TCP port in 0..65535, e.g. --gdb 1234");
        }
        PktRun.Overrides pkt = new PktRun.Overrides(toleranceUsecs, localIp, remoteIp, ignoreShell);
        if (script.toString().endsWith(".pkt")) {
            if (args.size() > 1) {
                throw new UserError(script + ": a .pkt script takes at most one argument, the guest (default, zoo:NAME "
                        + "or an image file); got " + String.join(" ", args));
            }
            return PktRun.run(script, args.isEmpty() ? "default" : args.getFirst(), pkt, maxInsns.get(),
                    traceHash.enabled(), capture, io);
        }
        if (pkt.any()) {
            throw new UserError("--tolerance-usecs, --local-ip, --remote-ip and --ignore-shell are for .pkt scripts");
        }
        if (capture != null) {
            CaptureFile.checkWritable(capture); // before the run, not after it
        }
        String text = readScript(script);
        String name = script.getFileName().toString();
        StringBuilder rerun = new StringBuilder("./wirelab run ").append(script);
        for (String a : args) {
            rerun.append(' ').append(a);
        }
        ScriptRunner.Trust trust;
        if (trusted) {
            io.err().println("wirelab: --trusted: the sandbox is off; " + name + " runs as full Groovy with your rights");
            trust = ScriptRunner.Trust.TRUSTED;
        } else {
            List<Path> roots = new ArrayList<>();
            roots.add(Path.of(""));
            Path parent = script.toAbsolutePath().getParent();
            if (parent != null) {
                roots.add(parent);
            }
            String root = System.getProperty("wirelab.root");
            if (root != null) {
                roots.add(Path.of(root));    // the installation: shipped corpora and captures
            }
            if (outDir != null) {
                roots.add(outDir);
            }
            trust = new ScriptRunner.Trust(false, roots);
        }
        return ScriptRunner.run(name, text, args, new ScriptRunner.Limits(maxInsns.get(), timeoutSeconds, maxHeap == null ? 0 : maxHeap,
                gdbPort == null ? -1 : gdbPort, capture), io,
                rerun.toString(), traceHash.enabled(), trust).exitCode();
    }
}
