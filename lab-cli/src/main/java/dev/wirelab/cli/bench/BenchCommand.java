package dev.wirelab.cli.bench;

import dev.wirelab.cli.Io;
import dev.wirelab.cli.UserError;
import dev.wirelab.cli.Version;
import dev.wirelab.emulator.board.BoardConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code wirelab bench}: how fast wirelab runs guests, next to QEMU running the
 * same images in the same invocation. Wall time here is only reported, never
 * fed to a guest.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, versionProvider = Version.class,
        subcommands = BenchFuzzCommand.class,
        description = {"Measures guest speed (M instructions/s) on the bench guests in wirelab and in QEMU, and start-up.",
                "Each number is the median of --runs runs. Without QEMU, only wirelab's numbers are printed."})
public final class BenchCommand implements Callable<Integer> {
    /** The measurements, in table order. A new kind of row (snapshots, fuzz exec/s) is one more entry. */
    static final List<Benchmark> BENCHMARKS = List.of(new GuestSpeed(), new Startup(), new DefaultGuestBench(),
            new FuzzBench(), new EngineBench(), new NetThroughput());

    private final Io io;

    @Option(names = "--runs", paramLabel = "N", defaultValue = "3",
            description = "Runs per measurement; the median is reported (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--qemu", paramLabel = "PATH", description = "QEMU to compare with (default: qemu-system-aarch64 on PATH).")
    String qemuPath;

    @Option(names = "--no-qemu", description = "Measure wirelab only.")
    boolean noQemu;

    @Option(names = "--json", description = "Print the headline numbers as one JSON object (stable keys) instead of the table.")
    boolean json;

    @Option(names = "--guests", paramLabel = "NAME", split = ",",
            description = "Bench guests to run (default: all): bench_compute, bench_store.")
    List<String> guests;

    public BenchCommand(Io io) {
        this.io = io;
    }

    /** The streams, for the {@code bench fuzz} subcommand. */
    Io io() {
        return io;
    }

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 100) {
            throw new UserError("--runs " + runs + ": give 1 to 100");
        }
        List<BenchGuest> selected = BenchGuest.select(guests);
        String exe = qemuPath != null ? qemuPath : System.getProperty("wirelab.qemu", "qemu-system-aarch64");
        Optional<Qemu> qemu = noQemu ? Optional.empty() : Qemu.find(exe);
        String q = qemu.map(Qemu::version).orElse("QEMU");
        Table table = new Table("measure", "wirelab", q, q + " -icount", "wirelab/QEMU", "wirelab/icount");
        BoardConfig config = BoardConfig.defaults();
        BenchMetrics metrics;
        try (BenchContext ctx = new BenchContext(io, runs, config, qemu, selected)) {
            for (Benchmark b : BENCHMARKS) {
                b.measure(ctx, table);
            }
            metrics = ctx.metrics();
        }
        if (json) {
            io.out().println(metrics.toJson());
            io.out().flush();
            return 0;
        }
        table.note("median of " + runs + " run" + (runs == 1 ? "" : "s") + "; board: " + (config.ramSize() >> 20)
                + " MiB, GICv" + config.gicVersion() + ", cortex-a72; wirelab times Board.run only.");
        table.note(dev.wirelab.emulator.unicorn.NativeHooks.available() ? "block hook: native (C), Java called only to stop"
                : "block hook: Java upcall per block (" + dev.wirelab.emulator.unicorn.NativeHooks.unavailableReason() + ")");
        if (qemu.isPresent()) {
            table.note("QEMU: " + String.join(" ", qemu.get().command(config, java.nio.file.Path.of("IMAGE")))
                    + "; its M insn/s use wall time minus its start-up (hello guest); the -icount column adds"
                    + " -icount shift=0,sleep=off (QEMU's deterministic mode).");
        } else if (noQemu) {
            table.note("QEMU: skipped (--no-qemu).");
        } else {
            table.note("QEMU: '" + exe + "' was not found or does not run: wirelab numbers only"
                    + " (install qemu-system-arm, or pass --qemu PATH).");
        }
        table.print(io.out());
        return 0;
    }
}
