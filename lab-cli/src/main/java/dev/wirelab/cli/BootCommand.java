package dev.wirelab.cli;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelab boot}: run one guest image on the board, console on stdout. */
@Command(name = "boot", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Boots a guest image on the virt-like board and echoes its console to stdout.",
                "Exit code: the guest's own (semihosting exit), 0 for PSCI SYSTEM_OFF/RESET, 123 guest panic"
                        + " (a console line matching --panic-pattern), 124 budget exhausted, 125 guest fault, 126 guest idle forever, 130 Ctrl-C,"
                        + " 3 an --expect text never appeared, 2 bad input, 1 internal error."})
public final class BootCommand implements Callable<Integer> {
    private final Io io;

    @Parameters(index = "0", arity = "0..1", paramLabel = "IMAGE",
            description = "ELF, arm64 Image or raw binary (default: the firmware in --flash0, else the embedded"
                    + " default guest).")
    Path image;

    @Mixin
    BoardOptions board;

    @Mixin
    ImageFormatOption format;

    @Option(names = "--load-addr", paramLabel = "ADDR", converter = Numbers.Address.class,
            description = "Where a raw image is loaded and started (default: flash at 0, like QEMU -bios).")
    Long loadAddress;

    @Mixin
    InstructionBudgetOption maxInsns;

    @Option(names = "--input", paramLabel = "TEXT|@FILE",
            description = "Bytes queued for the UART: TEXT (escapes \\n \\r \\t \\\\ \\xNN) or @FILE's contents.")
    String input;

    @Option(names = "--initrd", paramLabel = "FILE",
            description = "Initial ramdisk for a Linux kernel Image, placed as QEMU -initrd places it and named in /chosen.")
    Path initrd;

    @Option(names = "--panic-pattern", paramLabel = "REGEX",
            description = "Console line that ends the run as a guest panic, exit 123 ('' for none; default: Linux's"
                    + " 'Kernel panic - not syncing' and Oops lines).")
    String panicPattern;

    @Option(names = "--net", description = "Attach the virtual wire (QEMU user-network addresses: guest 10.0.2.15,"
            + " host 10.0.2.2, DHCP, ARP, ICMP).")
    boolean net;

    @Option(names = "--capture", paramLabel = "FILE.pcapng",
            description = "Write every frame on the wire to this pcapng file (virtual timestamps; implies --net).")
    Path capture;

    @Option(names = "--tftp", paramLabel = "DIR",
            description = "Serve TFTP read requests to 10.0.2.2 from DIR, as QEMU's -nic user,tftp=DIR (implies --net).")
    Path tftp;

    @Option(names = "--expect", paramLabel = "TEXT",
            description = "Run until the guest prints TEXT, then type the matching --send (repeatable, in order).")
    List<String> expects;

    @Option(names = "--send", paramLabel = "TEXT",
            description = "What to type after the matching --expect appeared (escapes \\n \\r \\t \\xNN; no newline added).")
    List<String> sends;

    @Option(names = "--dtb-dump", paramLabel = "FILE",
            description = "Write the board's device tree to FILE (DTS text if it ends in .dts, else a DTB) and boot.")
    Path dtbDump;

    @Mixin
    TraceHashOption traceHash;

    @Option(names = "--guest-errors", description = "Report what the guest did wrong that the board tolerated.")
    boolean guestErrors;

    @Option(names = "--gdb", paramLabel = "[HOST:]PORT",
            description = "Serve GDB's remote protocol here (host 127.0.0.1 unless given): target remote :PORT.")
    String gdb;

    @Option(names = "--gdb-wait", description = "With --gdb: wait for GDB before the first instruction (QEMU's -S).")
    boolean gdbWait;

    /**
     * Typed keys for the guest when it runs interactively: the real process on a terminal, with no
     * scripted input, no --expect and no --gdb (which owns the run). The terminal is put in raw mode
     * and restored when the process ends.
     */
    private java.io.InputStream keyboard(byte[] consoleInput) {
        boolean scripted = consoleInput.length > 0 || (expects != null && !expects.isEmpty()) || gdb != null;
        if (!io.process() || scripted || System.console() == null || !System.console().isTerminal()) {
            return null;
        }
        return RawTerminal.open(io);
    }

    public BootCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        if (gdbWait && gdb == null) {
            throw new UserError("--gdb-wait needs --gdb [HOST:]PORT: add --gdb 1234");
        }
        BootImages.Format fmt = format.format();
        if (loadAddress != null && fmt != BootImages.Format.RAW && fmt != BootImages.Format.AUTO) {
            throw new UserError("--load-addr applies to raw images only, but " + format
                    + " was given: use --format raw or drop --load-addr");
        }
        var config = board.config();
        if (initrd != null) {
            if (!java.nio.file.Files.isRegularFile(initrd)) {
                throw new UserError("--initrd " + initrd + ": no such file (give an initramfs, e.g. a cpio archive)");
            }
            config = config.withInitrd(initrd);
        }
        byte[] consoleInput = ConsoleInput.parse(input);
        BootImage guest;
        if (image == null) {
            if (loadAddress != null || fmt != BootImages.Format.AUTO) {
                throw new UserError("--format and --load-addr describe an IMAGE file: name one");
            }
            // Firmware in --flash0 and no IMAGE: start from flash at 0, as QEMU does with a pflash drive.
            guest = board.flash0 != null ? GuestImage.file(board.flash0, BootImages.Format.RAW, null)
                    : GuestImage.defaultGuest(io);
        } else {
            guest = GuestImage.file(image, fmt, loadAddress);
        }
        return new GuestRun(io, config, guest)
                .input(consoleInput)
                .dtbDump(dtbDump)
                .consolePanic(PanicPattern.parse(panicPattern))
                .network(net, capture, tftp)
                .dialogue(ConsoleDialogue.of(expects, sends))
                .keyboard(keyboard(consoleInput))
                .guestErrors(guestErrors)
                .printTraceHash(traceHash.enabled())
                .gdb(gdb, gdbWait)
                .run(maxInsns.get())
                .exitCode();
    }
}
