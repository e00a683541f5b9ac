package dev.wirelab.cli;

import dev.wirelab.emulator.time.VirtualClock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code wirelab demo}: boots the embedded default guest and explains what the
 * run shows. It grows into the network demo (packets into the guest's TCP
 * stack, a replayed bug) once the default kernel and the network peer exist.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"Boots the embedded default guest and explains what the run shows.",
                "Exit code as for 'boot'."})
public final class DemoCommand implements Callable<Integer> {
    /** Enough for the default guest to boot and finish its demo; a stuck guest ends with exit code 124. */
    static final long BUDGET = 2_000_000_000L;

    private final Io io;

    @Mixin
    BoardOptions board;

    public DemoCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() {
        var config = board.config();
        var guest = GuestImage.defaultGuest(io);
        Frame.print(io.out(), "wirelab demo", List.of(
                "Boots " + guest.name() + " (" + guest.formatName() + ") on the virt-like AArch64 board:",
                "RAM " + (config.ramSize() >> 20) + " MiB at 0x40000000, GICv" + config.gicVersion()
                        + ", PL011 UART; the guest's console follows.",
                "Time is counted in guest instructions, never read from the host clock,",
                "so every run of this demo is identical - the trace hash at the end proves it."));
        GuestRun.Outcome o = new GuestRun(io, config, guest).run(BUDGET);
        var r = o.result();
        Frame.print(io.out(), "what happened", List.of(
                "ended:        " + (r.exit() == null ? "budget exhausted" : r.exit().toString()),
                String.format(Locale.ROOT, "instructions: %,d", r.instructions()),
                String.format(Locale.ROOT, "virtual time: %,d ticks of the 62.5 MHz counter = %,.3f us",
                        r.ticks(), r.ticks() * (double) VirtualClock.NANOS_PER_TICK / 1000),
                "trace hash:   " + o.traceHash(),
                "Run it again: the same hash. Try 'wirelab boot --trace-hash' on any guest image."));
        return o.exitCode();
    }
}
