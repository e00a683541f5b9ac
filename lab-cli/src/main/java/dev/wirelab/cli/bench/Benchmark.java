package dev.wirelab.cli.bench;

/**
 * One kind of measurement that adds rows to the bench table. {@link BenchCommand}
 * runs every registered benchmark in order; new ones (snapshot save/restore,
 * fuzz executions/s) are one more entry there.
 */
public interface Benchmark {
    /** Measures (each sample {@code ctx.runs()} times, reporting the median) and adds rows and notes. */
    void measure(BenchContext ctx, Table table) throws Exception;
}
