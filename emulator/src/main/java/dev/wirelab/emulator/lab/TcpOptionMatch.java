package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpOption;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * TCP option matching for {@code expect} ({@code mss:}, {@code wscale:}, {@code sackOK:}, {@code sack:},
 * {@code ts:} with {@code '*'} wildcards, or {@code options:} the exact list in wire order), and the
 * rebasing of relative SACK blocks for {@code tcp(options: ...)}. SACK edges are relative to the ISN of
 * the side being acknowledged, like packetdrill's.
 */
final class TcpOptionMatch {
    private TcpOptionMatch() { }

    /** {@code options} with every SACK block moved by {@code base} (relative to absolute). */
    static List<TcpOption> rebase(List<?> options, long base) {
        List<TcpOption> out = new ArrayList<>();
        for (Object o : options) {
            out.add(o instanceof TcpOption.Sack s ? shift(s, base) : (TcpOption) o);
        }
        return out;
    }

    private static TcpOption.Sack shift(TcpOption.Sack s, long base) {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        for (TcpOption.SackBlock b : s.blocks()) {
            blocks.add(new TcpOption.SackBlock(b.left().plus(base), b.right().plus(base)));
        }
        return new TcpOption.Sack(blocks);
    }

    /** The first option that differs (a short reason), or null; {@code peerIsn}: the base of SACK edges. */
    static String mismatch(Map<String, ?> spec, List<TcpOption> actual, long peerIsn) {
        if (spec.get("options") instanceof List<?> want) {
            String m = exact(rebase(want, peerIsn), actual);
            if (m != null) {
                return m;
            }
        }
        if (spec.containsKey("mss")) {
            TcpOption.Mss m = find(actual, TcpOption.Mss.class);
            if (m == null || !matches(spec.get("mss"), m.value())) {
                return "mss option";
            }
        }
        if (spec.containsKey("wscale")) {
            TcpOption.WindowScale w = find(actual, TcpOption.WindowScale.class);
            if (w == null || !matches(spec.get("wscale"), w.shift())) {
                return "wscale option";
            }
        }
        if (spec.containsKey("sackOK") && Lab.truthy(spec.get("sackOK")) != (find(actual, TcpOption.SackPermitted.class) != null)) {
            return "sackOK option";
        }
        if (spec.get("sack") instanceof List<?> blocks) {
            TcpOption.Sack s = find(actual, TcpOption.Sack.class);
            if (s == null || s.blocks().size() != blocks.size()) {
                return "sack option";
            }
            for (int i = 0; i < blocks.size(); i++) {
                List<?> b = (List<?>) blocks.get(i);
                TcpOption.SackBlock a = s.blocks().get(i);
                if (!SeqNumber.of(peerIsn + Lab.num(b.get(0))).equals(a.left())
                        || !SeqNumber.of(peerIsn + Lab.num(b.get(1))).equals(a.right())) {
                    return "sack option";
                }
            }
        }
        if (spec.get("ts") instanceof List<?> ts) {
            TcpOption.Timestamps t = find(actual, TcpOption.Timestamps.class);
            if (t == null || !matches(ts.get(0), t.tsVal()) || !matches(ts.get(1), t.tsEcr())) {
                return "ts option";
            }
        }
        return null;
    }

    /** Same options in the same order; a TS val is not compared (each stack has its own clock). */
    private static String exact(List<TcpOption> want, List<TcpOption> actual) {
        if (want.size() != actual.size()) {
            return "options (expected " + want + ", got " + actual + ")";
        }
        for (int i = 0; i < want.size(); i++) {
            TcpOption w = want.get(i);
            TcpOption a = actual.get(i);
            boolean same = w instanceof TcpOption.Timestamps wt && a instanceof TcpOption.Timestamps at
                    ? wt.tsEcr() == at.tsEcr() : w.equals(a);
            if (!same) {
                return "options (expected " + w + " at option " + (i + 1) + ", got " + a + ")";
            }
        }
        return null;
    }

    private static boolean matches(Object want, long actual) {
        return want == null || Expect.ANY.equals(want) || (Lab.num(want) & 0xffffffffL) == (actual & 0xffffffffL);
    }

    private static <T extends TcpOption> T find(List<TcpOption> options, Class<T> type) {
        for (TcpOption o : options) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        return null;
    }
}
