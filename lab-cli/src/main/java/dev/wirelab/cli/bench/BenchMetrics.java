package dev.wirelab.cli.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The machine-readable results of one bench run ({@code wirelab bench --json}).
 * The keys are a stable interface for CI and the README: every key is always
 * present, {@code null} when that measurement did not run (QEMU missing, a
 * guest not selected).
 */
public final class BenchMetrics {
    /** The keys, in output order. */
    public enum Key {
        RESTORE_P50_US("restore_p50_us"),
        RESTORE_P99_US("restore_p99_us"),
        FUZZ_EXECS_PER_S("fuzz_execs_per_s"),
        COMPUTE_MINSN_S("compute_minsn_s"),
        STORE_MINSN_S("store_minsn_s"),
        COMPUTE_RATIO_QEMU("compute_ratio_qemu"),
        COMPUTE_RATIO_QEMU_ICOUNT("compute_ratio_qemu_icount"),
        BULK_TCP_MIB_S("bulk_tcp_mib_s"),
        /** The real engine (a Jazzer/libFuzzer worker) per target; {@code fuzz_execs_per_s} is the executor alone. */
        ENGINE_EXECS_PER_S("engine_execs_per_s");

        private final String json;

        Key(String json) {
            this.json = json;
        }

        public String json() {
            return json;
        }

        /** True for the keys whose value is an object keyed by fuzz target. */
        boolean perTarget() {
            return this == FUZZ_EXECS_PER_S || this == ENGINE_EXECS_PER_S;
        }
    }

    private final Map<Key, Double> values = new LinkedHashMap<>();
    private final Map<Key, Map<String, Double>> perTarget = new LinkedHashMap<>();

    public void put(Key key, double value) {
        if (key.perTarget()) {
            throw new IllegalArgumentException(key.json() + " is per target: use fuzzRate or engineRate");
        }
        values.put(key, value);
    }

    /** Executions per second of one fuzz target (or of the Lab-API loop standing in for one). */
    public void fuzzRate(String target, double execsPerSecond) {
        perTarget.computeIfAbsent(Key.FUZZ_EXECS_PER_S, k -> new TreeMap<>()).put(target, execsPerSecond);
    }

    /** Executions per second of one fuzz target under the real engine (a libFuzzer worker). */
    public void engineRate(String target, double execsPerSecond) {
        perTarget.computeIfAbsent(Key.ENGINE_EXECS_PER_S, k -> new TreeMap<>()).put(target, execsPerSecond);
    }

    public Double get(Key key) {
        return values.get(key);
    }

    public Map<String, Double> fuzzRates() {
        return Map.copyOf(perTarget.getOrDefault(Key.FUZZ_EXECS_PER_S, Map.of()));
    }

    public Map<String, Double> engineRates() {
        return Map.copyOf(perTarget.getOrDefault(Key.ENGINE_EXECS_PER_S, Map.of()));
    }

    /** One JSON object, keys in {@link Key} order, numbers with at most 3 decimals. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Key k : Key.values()) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(k.json()).append("\": ");
            if (k.perTarget()) {
                sb.append('{');
                boolean first = true;
                for (var e : perTarget.getOrDefault(k, Map.of()).entrySet()) {
                    sb.append(first ? "" : ", ").append(string(e.getKey())).append(": ").append(number(e.getValue()));
                    first = false;
                }
                sb.append('}');
            } else {
                sb.append(number(values.get(k)));
            }
        }
        return sb.append('}').toString();
    }

    static String number(Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return "null";
        }
        String s = String.format(Locale.ROOT, "%.3f", v);
        s = s.replaceFirst("0+$", "");
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    static String string(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
