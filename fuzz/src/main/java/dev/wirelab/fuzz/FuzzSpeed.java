package dev.wirelab.fuzz;

import dev.wirelab.fuzz.exec.ExecSettings;
import dev.wirelab.fuzz.exec.Execution;
import dev.wirelab.fuzz.exec.FuzzLab;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.StreamTarget;
import java.util.Map;

/**
 * Times the executor on a target's seeds, one core, no Jazzer: per seed, executions per second
 * and guest instructions per execution. {@code FuzzSpeed TARGET [RUNS] [GUEST]}. Wall time here is
 * a report for people, never an input to a run.
 */
public final class FuzzSpeed {
    private FuzzSpeed() {
    }

    public static void main(String[] args) {
        StreamTarget t = StreamTarget.byId(args.length > 0 ? args[0] : "tcp-established");
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        GuestProfile p = GuestProfile.named(args.length > 2 ? args[2] : "default");
        try (FuzzLab lab = FuzzLab.open(p, t, ExecSettings.defaults())) {
            long total = 0;
            int n = 0;
            for (Map.Entry<String, FuzzInput> e : Seeds.forTarget(t).entrySet()) {
                Execution x = lab.execute(e.getValue());
                long t0 = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    x = lab.execute(e.getValue());
                }
                long dt = System.nanoTime() - t0;
                total += dt;
                n += runs;
                System.out.printf("%-40s %8.1f exec/s  %,10d insns  %s virtual  edges %d%n", e.getKey(),
                        runs * 1e9 / dt, x.instructions(), Execution.formatTicks(x.ticks()), lab.edges().edgesHit());
            }
            System.out.printf("%s: %.1f exec/s over %d executions of its seeds%n", t.id(), n * 1e9 / total, n);
        }
    }
}
