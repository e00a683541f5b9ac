package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.fdt.FdtReader;
import dev.wirelab.emulator.net.TftpServer;
import dev.wirelab.emulator.net.VirtualWire;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One guest run as the CLI does it: build the board, optionally dump its device
 * tree, load the image, queue console input, echo the console live, run to the
 * end or the budget, and turn the outcome into an exit code and at most one
 * status line. {@code boot} and {@code demo} both use it.
 */
public final class GuestRun {
    /** What a run ended with, for commands that report more than the exit code. */
    public record Outcome(int exitCode, Stop result, String traceHash) { }

    private final Io io;
    private final BoardConfig config;
    private final BootImage image;
    private byte[] input = new byte[0];
    private Path dtbDump;
    private boolean guestErrors;
    private boolean printTraceHash;
    private GdbBoot.Address gdb;
    private boolean gdbWait;
    private java.util.regex.Pattern consolePanic = Board.LINUX_PANIC;
    private boolean net;
    private Path capture;
    private Path tftp;
    private ConsoleDialogue dialogue = ConsoleDialogue.of(List.of(), List.of());
    private java.io.InputStream keyboard;

    public GuestRun(Io io, BoardConfig config, BootImage image) {
        this.io = io;
        this.config = config;
        this.image = image;
    }

    /** Bytes queued for the UART before the first instruction. */
    public GuestRun input(byte[] bytes) {
        this.input = bytes.clone();
        return this;
    }

    /** Write the board's device tree here (DTS text if the name ends in .dts, else the DTB). */
    public GuestRun dtbDump(Path file) {
        this.dtbDump = file;
        return this;
    }

    public GuestRun guestErrors(boolean on) {
        this.guestErrors = on;
        return this;
    }

    public GuestRun printTraceHash(boolean on) {
        this.printTraceHash = on;
        return this;
    }

    /** The console line that ends the run as a guest panic (null: none). */
    public GuestRun consolePanic(java.util.regex.Pattern pattern) {
        this.consolePanic = pattern;
        return this;
    }

    /**
     * Joins the guest's NIC to the virtual wire (QEMU user-network addresses, DHCP, ARP, ICMP), writing
     * every frame to {@code capture} (pcapng, may be null) and serving TFTP from {@code tftp} (may be null).
     */
    public GuestRun network(boolean on, Path capture, Path tftp) {
        this.net = on || capture != null || tftp != null;
        this.capture = capture;
        this.tftp = tftp;
        return this;
    }

    /** Keys for the guest's UART as they are typed ({@link InteractiveConsole}); null for none. */
    GuestRun keyboard(java.io.InputStream in) {
        this.keyboard = in;
        return this;
    }

    /** Expect/send steps run before the rest of the budget. */
    GuestRun dialogue(ConsoleDialogue d) {
        this.dialogue = d;
        return this;
    }

    /** Serve GDB at {@code address} while the guest runs ({@code wait}: before its first instruction). */
    public GuestRun gdb(String address, boolean wait) {
        this.gdb = address == null ? null : GdbBoot.Address.parse(address);
        this.gdbWait = wait;
        return this;
    }

    public Outcome run(long maxInstructions) {
        if (capture != null) {
            CaptureFile.checkWritable(capture); // before the guest runs, not after it
        }
        try (Board board = createBoard(config)) {
            CaptureFile recording = net ? wireUp(board) : null;
            board.consolePanic(consolePanic);
            if (dtbDump != null) {
                writeDeviceTree(board.deviceTree(), dtbDump);
            }
            try {
                board.load(image);
            } catch (IllegalArgumentException e) {
                throw new UserError(image.name() + ": " + e.getMessage(), e);
            }
            // GuestLog echoes to System.err only; in-process callers with their own stream get the entries after the run.
            boolean liveGuestErrors = guestErrors && io.err() == System.err;
            board.guestLog().echo(liveGuestErrors);
            board.console().echoTo(io.out());
            if (input.length > 0) {
                board.console().input(input);
            }
            Stop result;
            ConsoleDialogue.Result talked = null;
            boolean quit = false;
            try (Interrupts interrupts = io.process() ? Interrupts.stopOnCtrlC(board) : Interrupts.none()) {
                if (gdb != null) {
                    result = GdbBoot.run(board, maxInstructions, gdb, gdbWait, io);
                } else if (!dialogue.isEmpty()) {
                    talked = dialogue.run(board, maxInstructions);
                    result = talked.stop();
                } else if (keyboard != null) {
                    InteractiveConsole.Result r = new InteractiveConsole(keyboard).run(board, maxInstructions);
                    result = r.stop();
                    quit = r.quit();
                } else {
                    result = board.run(maxInstructions);
                }
            }
            endConsoleLine(board.console().transcript());
            if (guestErrors && !liveGuestErrors) {
                for (GuestLog.Entry e : board.guestLog().entries()) {
                    io.err().println("guest error: " + e);
                }
            }
            int code = quit ? ExitCodes.OK : ExitCodes.of(result);
            if (recording != null) {
                recording.close(); // the file appears now; a failed write is the user's to fix
            }
            if (quit) {
                io.err().println("wirelab: terminated (Ctrl-A X) at instruction " + result.instructions());
                io.out().flush();
                return new Outcome(code, result, board.trace().hex());
            }
            if (talked != null && talked.unmet() >= 0) {
                io.err().println("wirelab: --expect '" + dialogue.expect(talked.unmet()) + "' never appeared: "
                        + (result.cause() == StopCause.GUEST_EXIT ? "the guest exited (" + result + ")" : result.detail()));
                return new Outcome(ExitCodes.EXPECTATION_FAILED, result, board.trace().hex());
            }
            if (result.cause() != StopCause.GUEST_EXIT) {
                io.err().println("wirelab: " + (result.cause() == StopCause.INTERRUPTED ? "interrupted (Ctrl-C): " : "")
                        + result.detail());
            }
            String hash = board.trace().hex();
            if (printTraceHash) {
                TraceHashOption.print(io.out(), hash);
            }
            io.out().flush();
            return new Outcome(code, result, hash);
        }
    }

    /** The wire on the board's NIC, its TFTP folder and its capture file (null without --capture). */
    private CaptureFile wireUp(Board board) {
        VirtualWire wire = VirtualWire.attach(board);
        if (tftp != null) {
            try {
                TftpServer.serve(wire, tftp);
            } catch (IllegalArgumentException e) {
                throw new UserError("--tftp " + tftp + ": not a folder (give the folder whose files the guest may read)", e);
            }
        }
        return capture == null ? null : CaptureFile.record(wire, capture);
    }

    /** A board the config describes; images it cannot open (disk, flash) are the user's to fix. */
    static Board createBoard(BoardConfig config) {
        try {
            return Board.create(config);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** Status lines must not run on from a guest line that lacks its newline. */
    private void endConsoleLine(byte[] transcript) {
        io.out().flush();
        if (transcript.length > 0 && transcript[transcript.length - 1] != '\n') {
            io.out().println();
        }
    }

    private static void writeDeviceTree(byte[] dtb, Path file) {
        try {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".dts")) {
                Files.writeString(file, FdtReader.parse(dtb).toDts(), StandardCharsets.UTF_8);
            } else {
                Files.write(file, dtb);
            }
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UserError("cannot write the device tree to " + file + ": its directory does not exist", e);
        } catch (IOException e) {
            throw new UserError("cannot write the device tree to " + file + " (" + e.getMessage()
                    + "): pass a writable path to --dtb-dump", e);
        }
    }
}
