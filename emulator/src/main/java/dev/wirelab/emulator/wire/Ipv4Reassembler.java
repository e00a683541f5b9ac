package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reassembles IPv4 fragments (RFC 791 §3.2, RFC 815 hole tracking), apart from the
 * parser: feed it parsed {@link Ipv4Packet}s, get whole datagrams back.
 *
 * <p>Policy, chosen to match what modern Linux does and to be unsurprising for a
 * monitor: fragments that overlap with <em>different</em> bytes drop the whole
 * datagram (exact duplicates are accepted); a datagram that would exceed 65,535
 * bytes, a non-final fragment whose length is not a multiple of 8, and conflicting
 * "last fragment" information drop it too. Time is the caller's (virtual ns); an
 * incomplete datagram older than the timeout is dropped on the next call. At most
 * {@code maxDatagrams} are in progress; a new one beyond that evicts the oldest.
 * Keyed by (source, destination, protocol, identification). Not thread-safe.
 */
public final class Ipv4Reassembler {
    /** What one fragment led to. */
    public sealed interface Outcome {
    }

    /** The datagram is whole (a non-fragment passes straight through). */
    public record Complete(Ipv4Packet packet) implements Outcome {
    }

    /** More fragments are needed; {@code bytesHeld} is how many payload bytes are buffered. */
    public record Pending(int bytesHeld) implements Outcome {
    }

    /** The datagram this fragment belonged to was discarded, and why. */
    public record Dropped(String reason) implements Outcome {
    }

    private record Key(int src, int dst, int protocol, int id) {
    }

    private static final int MAX_PAYLOAD = 65535 - Ipv4Packet.MIN_HEADER;

    private static final class Entry {
        final long started;
        Ipv4Packet first;
        byte[] data = new byte[1024];
        final List<int[]> ranges = new ArrayList<>(); // sorted, disjoint, merged [start, end)
        int total = -1;
        int held;

        Entry(long started) {
            this.started = started;
        }
    }

    private final long timeoutNanos;
    private final int maxDatagrams;
    private final Map<Key, Entry> entries = new LinkedHashMap<>();
    private final List<String> expired = new ArrayList<>();

    /** Linux's defaults: 30 s timeout; here at most 64 datagrams in progress. */
    public Ipv4Reassembler() {
        this(30_000_000_000L, 64);
    }

    public Ipv4Reassembler(long timeoutNanos, int maxDatagrams) {
        if (timeoutNanos <= 0 || maxDatagrams <= 0) {
            throw new IllegalArgumentException("timeout and capacity must be positive");
        }
        this.timeoutNanos = timeoutNanos;
        this.maxDatagrams = maxDatagrams;
    }

    /** Datagrams in progress. */
    public int pending() {
        return entries.size();
    }

    /** Descriptions of datagrams dropped by timeout or eviction since the last call (then cleared). */
    public List<String> drainExpired() {
        List<String> out = List.copyOf(expired);
        expired.clear();
        return out;
    }

    /** Drops incomplete datagrams older than the timeout at {@code nowNanos}. */
    public void expire(long nowNanos) {
        Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Entry> e = it.next();
            if (nowNanos - e.getValue().started >= timeoutNanos) {
                expired.add("timed out: " + describe(e.getKey()) + " with " + e.getValue().held + " bytes");
                it.remove();
            }
        }
    }

    public Outcome offer(Ipv4Packet p, long nowNanos) {
        expire(nowNanos);
        if (!p.isFragment()) {
            return new Complete(p);
        }
        Key key = new Key(p.source().bits(), p.destination().bits(), p.protocol(), p.identification());
        Entry e = entries.get(key);
        if (e == null) {
            if (entries.size() >= maxDatagrams) {
                Iterator<Map.Entry<Key, Entry>> it = entries.entrySet().iterator();
                Map.Entry<Key, Entry> oldest = it.next();
                expired.add("evicted: " + describe(oldest.getKey()) + " with " + oldest.getValue().held + " bytes");
                it.remove();
            }
            e = new Entry(nowNanos);
            entries.put(key, e);
        }
        int start = p.fragmentByteOffset();
        Bytes data = p.payload();
        int end = start + data.length();
        if (end > MAX_PAYLOAD) {
            return drop(key, "fragment at " + start + "+" + data.length() + " would make a datagram over 65535 bytes");
        }
        if (p.moreFragments() && (data.length() & 7) != 0) {
            return drop(key, "non-final fragment at " + start + " has length " + data.length() + ", not a multiple of 8");
        }
        if (!p.moreFragments()) {
            if (e.total >= 0 && e.total != end) {
                return drop(key, "last fragment says the datagram ends at " + end + ", an earlier one said " + e.total);
            }
            if (!e.ranges.isEmpty() && e.ranges.getLast()[1] > end) {
                return drop(key, "last fragment ends at " + end + " but bytes up to " + e.ranges.getLast()[1] + " arrived");
            }
            e.total = end;
        } else if (e.total >= 0 && end > e.total) {
            return drop(key, "fragment ends at " + end + ", beyond the datagram end " + e.total);
        }
        for (int[] r : e.ranges) {
            int lo = Math.max(start, r[0]);
            int hi = Math.min(end, r[1]);
            for (int i = lo; i < hi; i++) {
                if (e.data[i] != (byte) data.u8(i - start)) {
                    return drop(key, "fragment at " + start + " overlaps earlier data with different bytes at offset " + i);
                }
            }
        }
        if (end > e.data.length) {
            e.data = java.util.Arrays.copyOf(e.data, Math.max(end, Math.min(MAX_PAYLOAD, e.data.length * 2)));
        }
        data.copyTo(e.data, start);
        e.held += insert(e.ranges, start, end);
        if (start == 0) {
            e.first = p;
        }
        if (e.first != null && e.total >= 0 && e.ranges.size() == 1 && e.ranges.getFirst()[0] == 0
                && e.ranges.getFirst()[1] == e.total) {
            entries.remove(key);
            Ipv4Packet f = e.first;
            Ipv4Packet whole = Ipv4Packet.builder().source(f.source()).destination(f.destination()).dscp(f.dscp())
                    .ecn(f.ecn()).identification(f.identification()).reservedFlag(f.reservedFlag())
                    .dontFragment(f.dontFragment()).ttl(f.ttl()).protocol(f.protocol())
                    .options(f.optionBytes().toArray()).payload(java.util.Arrays.copyOf(e.data, e.total)).build();
            return new Complete(whole);
        }
        return new Pending(e.held);
    }

    private Outcome drop(Key key, String why) {
        entries.remove(key);
        return new Dropped(describe(key) + ": " + why);
    }

    /** Adds [start, end) to the sorted disjoint list, merging; returns how many bytes were not covered before. */
    private static int insert(List<int[]> ranges, int start, int end) {
        if (start == end) {
            return 0;
        }
        int already = 0;
        int lo = start;
        int hi = end;
        List<int[]> keep = new ArrayList<>(ranges.size() + 1);
        for (int[] r : ranges) {
            if (r[1] < start || r[0] > end) {
                keep.add(r); // disjoint and not adjacent
            } else {
                already += Math.max(0, Math.min(r[1], end) - Math.max(r[0], start));
                lo = Math.min(lo, r[0]);
                hi = Math.max(hi, r[1]);
            }
        }
        keep.add(new int[] {lo, hi});
        keep.sort((a, b) -> Integer.compare(a[0], b[0]));
        ranges.clear();
        ranges.addAll(keep);
        return (end - start) - already;
    }

    private static String describe(Key k) {
        return "datagram " + new Ipv4Address(k.src()) + " > " + new Ipv4Address(k.dst()) + " proto " + k.protocol()
                + " id " + k.id();
    }
}
