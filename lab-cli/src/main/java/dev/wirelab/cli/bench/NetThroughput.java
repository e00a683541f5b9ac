package dev.wirelab.cli.bench;

import dev.wirelab.emulator.net.NetBench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Bulk TCP between the host side of the virtual wire and the default guest's
 * echo service: frames/s and MiB/s of wall-clock time, and the same in
 * virtual time (which is identical on every run).
 */
final class NetThroughput implements Benchmark {
    /** Each way; the echo moves twice this. */
    static final long BYTES = 1 << 20;

    @Override
    public void measure(BenchContext ctx, Table table) {
        if (NetThroughput.class.getResource(DefaultGuestBench.RESOURCE) == null) {
            return; // DefaultGuestBench already noted the missing guest
        }
        byte[] image = ctx.guest(DefaultGuestBench.RESOURCE);
        List<NetBench.Result> runs = new ArrayList<>();
        for (int i = 0; i < ctx.runs(); i++) {
            ctx.progress("bulk TCP " + (i + 1) + "/" + ctx.runs());
            NetBench.Result r = NetBench.run(image, BYTES);
            if (!r.intact()) {
                table.note("warning: bulk TCP data came back corrupted");
            }
            runs.add(r);
        }
        runs.sort(Comparator.comparingLong(NetBench.Result::wallNanos));
        NetBench.Result m = runs.get(runs.size() / 2);
        String what = String.format(Locale.ROOT, "bulk TCP through echo (%d KiB each way, %,d frames)", BYTES >> 10, m.frames());
        table.row(what + ": frames/s wall | virtual", String.format(Locale.ROOT, "%,.0f | %,.0f",
                m.frames() / m.wallSeconds(), m.frames() / m.virtualSeconds()), "-", "-");
        ctx.metrics().put(BenchMetrics.Key.BULK_TCP_MIB_S, m.mebibytes() / m.wallSeconds());
        table.row(what + ": MiB/s wall | virtual", String.format(Locale.ROOT, "%,.2f | %,.2f",
                m.mebibytes() / m.wallSeconds(), m.mebibytes() / m.virtualSeconds()), "-", "-");
    }
}
