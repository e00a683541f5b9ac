package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The named arguments every lab verb takes, declared once: per verb the allowed keys and the kind
 * of value each wants. {@link Spec#check} runs first in each {@code Map} overload of {@link Lab}, so
 * a misspelled key or a value of the wrong kind fails at once with one line naming the verb, the
 * key and what to do ({@code expect: unknown argument 'flgs' (did you mean 'flags'?)}) instead of
 * being silently ignored. It also converts values the way a person expects: any integral number
 * (Integer, Long, BigInteger, BigDecimal) or numeric text becomes a {@code Long}, a GString a
 * {@code String}, a closure a {@link BooleanSupplier}.
 */
public final class NamedArgs {
    private NamedArgs() { }

    /** The kinds of value a named argument takes; each converts or explains what it wanted. */
    public enum Kind {
        INTEGER("an integer"),
        TICKS("a duration in ticks (e.g. ms(10))"),
        TIME("an absolute virtual time in ticks (e.g. now + ms(5))"),
        NUMBER("a number"),
        SIZE("a size in bytes (e.g. 128 * 1024 * 1024 or '128M')"),
        INTEGER_OR_ANY("an integer or '*'"),
        TEXT("text"),
        FLAGS("TCP flags such as 'S', 'S.', 'P.', 'F.', 'R' or '.'"),
        FLAGS_OR_ANY("TCP flags such as 'S.' or '*'"),
        DATA("text or a byte[]"),
        DATA_OR_ANY("text, a byte[] or '*'"),
        BOOLEAN("true or false"),
        TEXT_OR_PATTERN("text or a ~/regex/"),
        CONDITION("a closure { ... } returning true when done"),
        PAIR("a list of two integers, e.g. [1, 0]"),
        PAIRS("a list of [left, right] pairs, e.g. [[1, 5]]"),
        PAIR_OR_ANY("a list of two integers or '*', e.g. [100, '*']"),
        TCP_OPTIONS("a list of TcpOption values in wire order, e.g. [TcpOption.mss(1460), TcpOption.nop()]"),
        PROTO("one of 'tcp', 'udp', 'icmp'"),
        IMAGE("a file name or a boot image"),
        CONFIG("a BoardConfig");

        private final String wants;

        Kind(String wants) {
            this.wants = wants;
        }

        /** The value converted for the lab, or null when it is not of this kind. */
        Object convert(Object v) {
            return switch (this) {
                case INTEGER, TICKS, TIME -> integer(v);
                case NUMBER -> v instanceof Number n ? n : integer(v);
                case SIZE -> size(v);
                case INTEGER_OR_ANY -> Expect.ANY.equals(text(v)) ? Expect.ANY : integer(v);
                case TEXT -> text(v);
                case FLAGS -> flags(text(v));
                case FLAGS_OR_ANY -> Expect.ANY.equals(text(v)) ? Expect.ANY : flags(text(v));
                case DATA -> v instanceof byte[] ? v : text(v);
                case DATA_OR_ANY -> v instanceof byte[] ? v : text(v);
                case BOOLEAN -> v instanceof Boolean ? v : null;
                case TEXT_OR_PATTERN -> v instanceof Pattern ? v : text(v);
                case CONDITION -> condition(v);
                case PAIR -> pair(v);
                case PAIRS -> pairs(v);
                case PAIR_OR_ANY -> pairOrAny(v);
                case TCP_OPTIONS -> v instanceof List<?> l && l.stream().allMatch(o -> o instanceof TcpOption) ? List.copyOf(l) : null;
                case PROTO -> List.of("tcp", "udp", "icmp").contains(text(v)) ? text(v) : null;
                case IMAGE -> v instanceof BootImage || v instanceof Path ? v : text(v);
                case CONFIG -> v instanceof BoardConfig ? v : null;
            };
        }
    }

    /** One verb's named arguments. */
    public record Spec(String verb, Map<String, Kind> keys) {
        public Spec {
            keys = Map.copyOf(keys);
        }

        /**
         * {@code given} with every key known and every value converted (a new map, in the given order).
         *
         * @throws BadArgument naming the verb, the key and the closest valid key or the wanted kind
         */
        public Map<String, Object> check(Map<String, ?> given) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, ?> e : given.entrySet()) {
                String key = String.valueOf(e.getKey());
                Kind kind = keys.get(key);
                if (kind == null) {
                    throw new BadArgument(verb + ": unknown argument '" + key + "' " + suggestion(key), ScriptLine.caller());
                }
                Object v = e.getValue();
                if (v == null) {
                    continue;   // the lab reads a null value as "not given"
                }
                Object c = kind.convert(v);
                if (c == null) {
                    throw new BadArgument(verb + ": argument '" + key + "' must be " + kind.wants + ", got "
                            + describe(v), ScriptLine.caller());
                }
                out.put(key, c);
            }
            return out;
        }

        private String suggestion(String key) {
            String best = null;
            int bestD = Integer.MAX_VALUE;
            int bestPrefix = -1;
            for (String k : keys.keySet().stream().sorted().toList()) {
                int d = distance(key.toLowerCase(), k.toLowerCase());
                int prefix = commonPrefix(key, k);   // a tie goes to the key that starts the same ('dat': 'data', not 'at')
                if (d < bestD || d == bestD && prefix > bestPrefix) {
                    best = k;
                    bestD = d;
                    bestPrefix = prefix;
                }
            }
            if (best != null && bestD <= Math.max(2, key.length() / 3)) {
                return "(did you mean '" + best + "'?)";
            }
            return "(it takes: " + String.join(", ", keys.keySet().stream().sorted().toList()) + ")";
        }
    }

    private static Map<String, Kind> keys(Object... pairs) {
        Map<String, Kind> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put((String) pairs[i], (Kind) pairs[i + 1]);
        }
        return m;
    }

    private static final Object[] IP = {"src", Kind.TEXT, "dst", Kind.TEXT, "ttl", Kind.INTEGER, "id", Kind.INTEGER,
        "data", Kind.DATA, "len", Kind.INTEGER, "checksum", Kind.INTEGER};

    private static Object[] with(Object[] base, Object... more) {
        Object[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    public static final Spec BOOT = new Spec("boot", keys("image", Kind.IMAGE, "ram", Kind.SIZE, "gic", Kind.INTEGER,
            "bootargs", Kind.TEXT, "append", Kind.TEXT, "initrd", Kind.IMAGE, "panic", Kind.TEXT_OR_PATTERN,
            "ready", Kind.BOOLEAN, "agents", Kind.BOOLEAN, "config", Kind.CONFIG));
    private static final Object[] WAIT = {"address", Kind.INTEGER, "symbol", Kind.TEXT, "console", Kind.TEXT_OR_PATTERN,
        "condition", Kind.CONDITION, "time", Kind.TIME, "ms", Kind.NUMBER, "us", Kind.NUMBER, "within", Kind.TICKS};
    public static final Spec UNTIL = new Spec("until", keys(WAIT));
    public static final Spec ADVANCE = new Spec("advance", keys(WAIT));
    public static final Spec TCP = new Spec("tcp", keys(with(IP, "flags", Kind.FLAGS, "seq", Kind.INTEGER,
            "ack", Kind.INTEGER, "win", Kind.INTEGER, "sport", Kind.INTEGER, "dport", Kind.INTEGER, "mss", Kind.INTEGER,
            "wscale", Kind.INTEGER, "sackOK", Kind.BOOLEAN, "ts", Kind.PAIR, "isn", Kind.INTEGER, "abs", Kind.BOOLEAN, "sack", Kind.PAIRS,
            "options", Kind.TCP_OPTIONS)));
    public static final Spec UDP = new Spec("udp", keys(with(IP, "sport", Kind.INTEGER, "dport", Kind.INTEGER)));
    public static final Spec ICMP = new Spec("icmp", keys(with(IP, "seq", Kind.INTEGER)));
    public static final Spec INJECT = new Spec("inject", keys("at", Kind.TIME, "after", Kind.TICKS));
    public static final Spec EXPECT = new Spec("expect", keys("flags", Kind.FLAGS_OR_ANY, "seq", Kind.INTEGER_OR_ANY,
            "ack", Kind.INTEGER_OR_ANY, "win", Kind.INTEGER_OR_ANY, "data", Kind.DATA_OR_ANY, "len", Kind.INTEGER_OR_ANY,
            "sport", Kind.INTEGER_OR_ANY, "dport", Kind.INTEGER_OR_ANY, "proto", Kind.PROTO, "type", Kind.INTEGER_OR_ANY,
            "within", Kind.TICKS, "at", Kind.TIME, "tolerance", Kind.TICKS, "eventually", Kind.BOOLEAN,
            "mss", Kind.INTEGER_OR_ANY, "wscale", Kind.INTEGER_OR_ANY, "sackOK", Kind.BOOLEAN, "sack", Kind.PAIRS,
            "ts", Kind.PAIR_OR_ANY, "options", Kind.TCP_OPTIONS));
    public static final Spec EXPECT_NONE = new Spec("expectNone", keys("within", Kind.TICKS));

    /** Every verb's spec (for help and tests). */
    public static final List<Spec> ALL = List.of(BOOT, UNTIL, ADVANCE, TCP, UDP, ICMP, INJECT, EXPECT, EXPECT_NONE);

    // ---- conversions --------------------------------------------------------------------

    private static String text(Object v) {
        return v instanceof CharSequence s ? s.toString() : null;
    }

    /** Integral numbers of any boxed type, or numeric text ("0x10", "1_000"); null otherwise. */
    static Long integer(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 0x1p63 ? (long) d : null;
        }
        String s = text(v);
        if (s == null) {
            return null;
        }
        try {
            return Lab.num(s);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Long size(Object v) {
        String s = text(v);
        if (s != null && s.strip().matches("(?i)\\d+\\s*[KMG]i?B?")) {
            String t = s.strip().toUpperCase();
            int unit = t.indexOf('K') >= 0 ? 10 : t.indexOf('M') >= 0 ? 20 : 30;
            return Long.parseLong(t.replaceAll("[^0-9]", "")) << unit;
        }
        return integer(v);
    }

    private static String flags(String s) {
        if (s == null) {
            return null;
        }
        try {
            TcpFlags.parse(s);
            return s;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static BooleanSupplier condition(Object v) {
        if (v instanceof BooleanSupplier b) {
            return b;
        }
        if (v instanceof Callable<?> c) {   // a Groovy closure
            return () -> {
                try {
                    Object r = c.call();
                    return r instanceof Boolean b ? b : r != null && !Boolean.FALSE.equals(r);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
        return null;
    }

    private static List<Long> pair(Object v) {
        if (v instanceof List<?> l && l.size() == 2 && integer(l.get(0)) != null && integer(l.get(1)) != null) {
            return List.of(integer(l.get(0)), integer(l.get(1)));
        }
        return null;
    }

    /** [val, ecr] where either may be '*'. */
    private static List<Object> pairOrAny(Object v) {
        if (!(v instanceof List<?> l) || l.size() != 2) {
            return null;
        }
        List<Object> out = new java.util.ArrayList<>();
        for (Object o : l) {
            Object c = Expect.ANY.equals(text(o)) ? Expect.ANY : integer(o);
            if (c == null) {
                return null;
            }
            out.add(c);
        }
        return out;
    }

    private static List<List<Long>> pairs(Object v) {
        if (!(v instanceof List<?> l)) {
            return null;
        }
        List<List<Long>> out = new java.util.ArrayList<>();
        for (Object o : l) {
            List<Long> p = pair(o);
            if (p == null) {
                return null;
            }
            out.add(p);
        }
        return out;
    }

    private static String describe(Object v) {
        if (v == null) {
            return "null";
        }
        String type = v.getClass().getSimpleName();
        String shown = v instanceof CharSequence ? "'" + v + "'" : String.valueOf(v);
        if (shown.length() > 40) {
            shown = shown.substring(0, 40) + "...";
        }
        return type + " " + shown;
    }

    private static int commonPrefix(String a, String b) {
        int n = 0;
        while (n < a.length() && n < b.length() && a.charAt(n) == b.charAt(n)) {
            n++;
        }
        return n;
    }

    /** Levenshtein distance, for "did you mean". */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
