package dev.wirelab.emulator.board;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A running SHA-256 over everything observable about a run: console bytes,
 * frames, host events, and how it ended, each stamped with the instruction
 * count at which it happened. Two runs with equal hashes did the same thing
 * at the same instructions.
 */
public final class TraceHash {
    /** One recorded event: its kind, the instruction it happened at, and a digest of its payload. */
    public record Entry(char kind, long instruction, int payloadHash) { }

    /** Events kept for inspection (the hash covers all of them regardless). */
    public static final int LOG_LIMIT = 1 << 20;

    private MessageDigest digest;
    /**
     * The log is a persistent list (each node points at the one before), so a
     * snapshot shares it instead of copying: snapshot and restore cost the same
     * however long the run has been.
     */
    private record Node(Entry entry, Node previous, int size) { }

    private Node log;

    public TraceHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private TraceHash(MessageDigest d, Node log) {
        this.digest = d;
        this.log = log;
    }

    /** Records an event of {@code kind} at instruction {@code insn} with its payload. */
    public void record(char kind, long insn, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4);
        b.put((byte) kind).putLong(insn).putInt(payload.length);
        digest.update(b.array());
        digest.update(payload);
        int size = log == null ? 0 : log.size();
        if (size < LOG_LIMIT) {
            log = new Node(new Entry(kind, insn, java.util.Arrays.hashCode(payload)), log, size + 1);
        }
    }

    /** The first {@link #LOG_LIMIT} events, in order. */
    public java.util.List<Entry> entries() {
        Entry[] out = new Entry[log == null ? 0 : log.size()];
        for (Node n = log; n != null; n = n.previous()) {
            out[n.size() - 1] = n.entry();
        }
        return java.util.List.of(out);
    }

    public void record(char kind, long insn, long value) {
        record(kind, insn, ByteBuffer.allocate(8).putLong(value).array());
    }

    /** The hash so far (does not disturb the running digest). */
    public String hex() {
        try {
            return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public TraceHash copy() {
        try {
            return new TraceHash((MessageDigest) digest.clone(), log);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public void restore(TraceHash saved) {
        TraceHash c = saved.copy();
        this.digest = c.digest;
        this.log = c.log;
    }
}
