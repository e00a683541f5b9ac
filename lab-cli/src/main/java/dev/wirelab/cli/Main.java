package dev.wirelab.cli;

import dev.wirelab.cli.bench.BenchCommand;
import dev.wirelab.emulator.boot.BadImageException;
import dev.wirelab.emulator.unicorn.UnicornException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * Entry point of the wirelab command. {@link #run} does everything but exit, so
 * tests drive the real command line in-process.
 *
 * <p>Errors are one line on stderr: bad input (usage, flag values, images,
 * files) exits {@link ExitCodes#BAD_INPUT}, anything else
 * {@link ExitCodes#INTERNAL}. {@code --debug} adds the stack trace.
 */
public final class Main {
    /**
     * Every subcommand, registered once: help, the command list and dispatch
     * all come from here. A new command is one line.
     */
    static final List<Function<Io, Object>> COMMANDS = List.of(
            BootCommand::new,
            DemoCommand::new,
            ReplayCommand::new,
            BenchCommand::new,
            RunCommand::new,
            FuzzCommand::new,
            Pkt2GroovyCommand::new,
            ShellCommand::new);

    private Main() { }

    public static void main(String[] args) {
        System.exit(run(args, Io.system()));
    }

    /** Runs the command line with the given streams and returns the exit code (never calls System.exit). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, new Io(out, err, false));
    }

    static int run(String[] args, Io io) {
        boolean debug = Arrays.asList(args).contains("--debug");
        CommandLine cli = commandLine(io);
        cli.setParameterExceptionHandler((ex, a) -> usageError(ex, io, debug));
        cli.setExecutionExceptionHandler((ex, c, parsed) -> failure(ex, io, debug));
        int code = cli.execute(args);
        io.out().flush();
        io.err().flush();
        return code;
    }

    static CommandLine commandLine(Io io) {
        CommandLine cli = new CommandLine(new Wirelab(io));
        for (Function<Io, Object> command : COMMANDS) {
            cli.addSubcommand(command.apply(io));
        }
        cli.setOut(new PrintWriter(io.out(), true));
        cli.setErr(new PrintWriter(io.err(), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }

    /** Picocli's parse errors: one line and where to look, not the whole usage text. */
    private static int usageError(ParameterException ex, Io io, boolean debug) {
        if (debug) {
            ex.printStackTrace(io.err());
        }
        String message = firstLine(ex.getMessage());
        CommandLine where = ex.getCommandLine();
        if (ex instanceof UnmatchedArgumentException u && !where.getSubcommands().isEmpty()
                && !u.getUnmatched().isEmpty() && !u.getUnmatched().get(0).startsWith("-")) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        if (ex instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            message += " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        String command = where.getCommandSpec().qualifiedName();
        io.err().println("wirelab: " + message + "; see '" + command + " --help'");
        return ExitCodes.BAD_INPUT;
    }

    /** Exceptions from a running command. */
    static int failure(Exception ex, Io io, boolean debug) {
        if (debug) {
            ex.printStackTrace(io.err());
        }
        if (ex instanceof UserError || ex instanceof BadImageException) {
            io.err().println("wirelab: " + firstLine(ex.getMessage()));
            return ExitCodes.BAD_INPUT;
        }
        FileSystemException fs = fileSystemCause(ex);
        if (fs != null) {
            // Not a bug: a file or directory the command uses went away or became unusable (deleted --out, full disk).
            io.err().println("wirelab: " + describe(fs) + "; check the path and run again");
            return ExitCodes.BAD_INPUT;
        }
        if (ex instanceof UnicornException) {
            // Not the guest's doing (the board reports guest faults as run outcomes): the library or the binding.
            io.err().println("wirelab: emulator: " + firstLine(ex.getMessage()));
            return ExitCodes.INTERNAL;
        }
        io.err().println("wirelab: internal error: " + ex.getClass().getSimpleName() + ": " + firstLine(ex.getMessage())
                + (debug ? "" : " (run again with --debug for the stack trace)"));
        return ExitCodes.INTERNAL;
    }

    /** The file-system failure behind {@code ex}, also when wrapped (UncheckedIOException, a worker's cause chain). */
    private static FileSystemException fileSystemCause(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FileSystemException fs) {
                return fs;
            }
        }
        return null;
    }

    private static String describe(FileSystemException fs) {
        String what = switch (fs) {
            case NoSuchFileException e -> "no such file or directory";
            case AccessDeniedException e -> "permission denied";
            case FileAlreadyExistsException e -> "already exists";
            case DirectoryNotEmptyException e -> "directory not empty";
            case NotDirectoryException e -> "not a directory";
            default -> fs.getReason() != null ? fs.getReason() : "file system error";
        };
        String path = fs.getFile() != null ? fs.getFile() : "(unknown path)";
        return path + ": " + what;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "(no message)";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).strip();
    }

    /** The top-level command: lists the subcommands; {@code --debug} is inherited by all of them. */
    @Command(name = "wirelab", mixinStandardHelpOptions = true, versionProvider = Version.class,
            description = "A deterministic lab for kernel network bugs: an AArch64 guest on a QEMU-virt-like board.",
            synopsisSubcommandLabel = "COMMAND",
            footer = {"", "Run 'wirelab COMMAND --help' for a command's flags."})
    static final class Wirelab implements Callable<Integer> {
        private final Io io;

        @Option(names = "--debug", scope = ScopeType.INHERIT,
                description = "Show stack traces for errors (otherwise one line each).")
        boolean debug;

        Wirelab(Io io) {
            this.io = io;
        }

        @Override
        public Integer call() {
            io.err().println("wirelab: name a command; see 'wirelab --help' (e.g. 'wirelab demo')");
            return ExitCodes.BAD_INPUT;
        }
    }
}
