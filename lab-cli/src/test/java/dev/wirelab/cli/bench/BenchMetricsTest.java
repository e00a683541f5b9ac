package dev.wirelab.cli.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@code bench --json}: every key always present, in a fixed order; missing measurements are null. */
class BenchMetricsTest {
    @Test
    void allKeysInOrderWithNullsForWhatDidNotRun() {
        BenchMetrics m = new BenchMetrics();
        m.put(BenchMetrics.Key.RESTORE_P50_US, 41.25);
        m.put(BenchMetrics.Key.COMPUTE_MINSN_S, 214.0);
        m.fuzzRate("tcp-listen", 1234.5678);
        m.fuzzRate("lab-loop:\"q\"", 2);
        m.engineRate("tcp-established", 180.25);
        assertEquals("{\"restore_p50_us\": 41.25, \"restore_p99_us\": null, \"fuzz_execs_per_s\": "
                + "{\"lab-loop:\\\"q\\\"\": 2, \"tcp-listen\": 1234.568}, \"compute_minsn_s\": 214, \"store_minsn_s\": null, "
                + "\"compute_ratio_qemu\": null, \"compute_ratio_qemu_icount\": null, \"bulk_tcp_mib_s\": null, "
                + "\"engine_execs_per_s\": {\"tcp-established\": 180.25}}", m.toJson());
    }

    @Test
    void fuzzRatesGoThroughTheirOwnSetter() {
        assertThrows(IllegalArgumentException.class, () -> new BenchMetrics().put(BenchMetrics.Key.FUZZ_EXECS_PER_S, 1));
        assertThrows(IllegalArgumentException.class, () -> new BenchMetrics().put(BenchMetrics.Key.ENGINE_EXECS_PER_S, 1));
    }
}
