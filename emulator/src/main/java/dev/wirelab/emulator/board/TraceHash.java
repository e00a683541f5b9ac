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
    private MessageDigest digest;

    public TraceHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private TraceHash(MessageDigest d) {
        this.digest = d;
    }

    /** Records an event of {@code kind} at instruction {@code insn} with its payload. */
    public void record(char kind, long insn, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 4);
        b.put((byte) kind).putLong(insn).putInt(payload.length);
        digest.update(b.array());
        digest.update(payload);
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
            return new TraceHash((MessageDigest) digest.clone());
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    public void restore(TraceHash saved) {
        this.digest = saved.copy().digest;
    }
}
