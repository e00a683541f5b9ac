package dev.wirelab.fuzz;

import static dev.wirelab.emulator.wire.TcpFlags.ACK;
import static dev.wirelab.emulator.wire.TcpFlags.FIN;
import static dev.wirelab.emulator.wire.TcpFlags.PSH;
import static dev.wirelab.emulator.wire.TcpFlags.RST;
import static dev.wirelab.emulator.wire.TcpFlags.SYN;

import dev.wirelab.fuzz.input.Action;
import dev.wirelab.fuzz.input.Advance;
import dev.wirelab.fuzz.input.AppClose;
import dev.wirelab.fuzz.input.AppRead;
import dev.wirelab.fuzz.input.AppShutdown;
import dev.wirelab.fuzz.input.AppWrite;
import dev.wirelab.fuzz.input.Connect;
import dev.wirelab.fuzz.input.FuzzInput;
import dev.wirelab.fuzz.input.InputEncoder;
import dev.wirelab.fuzz.input.Payload;
import dev.wirelab.fuzz.input.Rel;
import dev.wirelab.fuzz.input.SegOption;
import dev.wirelab.fuzz.input.Segment;
import dev.wirelab.fuzz.input.Source;
import dev.wirelab.fuzz.input.StreamTarget;
import dev.wirelab.fuzz.input.Tick;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed corpora, as readable typed inputs; {@link #main} encodes them into {@code corpora/<target>/}.
 * Each seed is one meaningful exchange the fuzzer mutates from (a handshake, a window fill, a partial
 * read, SACK, FIN, ...), never a known bug's whole shape: composing them is the fuzzer's job, helped by
 * {@link #vocabulary} (the dictionary of single actions).
 */
public final class Seeds {
    /** lwIP's receive window in the default guest (TCP_WND): what "fill the window" means. */
    static final int GUEST_WINDOW = 23360;
    static final int MSS = 1460;
    /** The connection slot that talks to the guest's own echo service. */
    static final int ECHO_SLOT = 3;
    /** Tick offsets are multiples of 16 below 4096 (one byte each, InputDecoder's tvar). */
    static final long TORN_TICK = 3008;

    private Seeds() {
    }

    private static Segment seg(int flags, Rel seq, Payload data) {
        return Segment.of(flags, seq, Rel.guestNext(0), 65535, data);
    }

    private static Segment data(String text) {
        return seg(ACK | PSH, Rel.peerNext(0), Payload.of(text));
    }

    public static Map<String, FuzzInput> forTarget(StreamTarget t) {
        Map<String, FuzzInput> m = new LinkedHashMap<>();
        m.put("long-text-stream", longTextStream(t));
        switch (t) {
            case TCP_LISTEN -> {
                Segment syn = seg(SYN, Rel.peerNext(0), Payload.NONE).withOptions(new SegOption.Mss(MSS));
                m.put("handshake-data-fin", FuzzInput.of(t, syn, seg(ACK, Rel.peerNext(0), Payload.NONE),
                        data("hello listener"), seg(FIN | ACK, Rel.peerNext(0), Payload.NONE)));
                m.put("handshake-from-0.0.0.0", FuzzInput.of(t, syn.from(Source.UNSPECIFIED, 1),
                        seg(ACK, Rel.peerNext(0), Payload.NONE).from(Source.UNSPECIFIED, 1), new Advance(5000)));
                m.put("echo-service-tiny-mss", FuzzInput.of(t, seg(SYN, Rel.peerNext(0), Payload.NONE)
                        .withOptions(new SegOption.Mss(40)).from(Source.PEER, ECHO_SLOT),
                        seg(ACK, Rel.peerNext(0), Payload.NONE).from(Source.PEER, ECHO_SLOT),
                        data("hello, tiny mss").from(Source.PEER, ECHO_SLOT), new Advance(20_000)));
                m.put("syn-all-options", FuzzInput.of(t, seg(SYN, Rel.peerNext(0), Payload.NONE).withOptions(
                        new SegOption.Mss(1), new SegOption.WindowScale(14), new SegOption.SackPermitted(),
                        new SegOption.Timestamps(1, 0)), seg(ACK, Rel.peerNext(0), Payload.NONE), data("x")));
                m.put("tiny-mss-then-app-write", FuzzInput.of(t, seg(SYN, Rel.peerNext(0), Payload.NONE)
                        .withOptions(new SegOption.Mss(1)), seg(ACK, Rel.peerNext(0), Payload.NONE), new AppWrite(500),
                        new Advance(20_000), new AppRead(10)));
                m.put("rst-to-listener", FuzzInput.of(t, seg(RST, Rel.peerNext(0), Payload.NONE)));
                m.put("syn-then-rst", FuzzInput.of(t, syn, seg(RST | ACK, Rel.peerNext(0), Payload.NONE)));
                m.put("two-handshakes", FuzzInput.of(t, syn, syn.from(Source.PEER, 2),
                        seg(ACK, Rel.peerNext(0), Payload.NONE), new Advance(1000)));
            }
            case TCP_ESTABLISHED -> {
                m.put("data-then-read", FuzzInput.of(t, data("hello established"), new AppRead(100)));
                m.put("window-fill", FuzzInput.of(t, windowFill(), new Advance(1000)));
                m.put("partial-read", FuzzInput.of(t, seg(ACK, Rel.peerNext(0), Payload.text(MSS, "p")),
                        new AppRead(100), new Advance(1000)));
                m.put("peer-fin-read-close", FuzzInput.of(t, seg(FIN | ACK, Rel.peerNext(0), Payload.NONE),
                        new AppRead(10), new AppClose()));
                m.put("rst-in-window", FuzzInput.of(t, seg(RST, Rel.peerNext(0), Payload.NONE), new AppRead(1)));
                m.put("write-acked", FuzzInput.of(t, new AppWrite(3000), new Advance(1000),
                        seg(ACK, Rel.peerNext(0), Payload.NONE), new AppShutdown(AppShutdown.How.WR)));
                m.put("out-of-order-with-sack", FuzzInput.of(t,
                        seg(ACK, Rel.peerNext(1448), Payload.text(1448, "B")).withOptions(new SegOption.Sack(List.of(
                                new SegOption.SackBlock(Rel.guestAcked(0), Rel.guestNext(0))))),
                        seg(ACK, Rel.peerNext(0), Payload.text(1448, "A")), new AppRead(4000)));
                m.put("sack-inverted-block", FuzzInput.of(t, new AppWrite(16), new Advance(1000),
                        seg(ACK, Rel.peerNext(0), Payload.NONE).withOptions(new SegOption.Sack(List.of(
                                new SegOption.SackBlock(Rel.guestAcked(12), Rel.guestAcked(4))))),
                        new Advance(10_000)));
                m.put("ack-beyond-sent", FuzzInput.of(t, new AppWrite(100), Segment.of(ACK, Rel.peerNext(0),
                        Rel.guestNext(100_000), 0, Payload.of("z")), new Advance(3000)));
            }
            case TCP_INTERLEAVE -> {
                m.put("two-connects", FuzzInput.of(t, new Connect(0), new Connect(1), new Advance(100_000)));
                m.put("tick-inside-input", FuzzInput.of(t, data("tick me"), new Tick(1504), new AppRead(64)));
                m.put("write-with-ticks", FuzzInput.of(t, new AppWrite(2000), new Tick(96), new Tick(704),
                        seg(ACK, Rel.peerNext(0), Payload.NONE), new Tick(304)));
                m.put("read-with-tick-inside", FuzzInput.of(t, data("data for agent 0"), new Advance(5000),
                        new AppRead(100), new Tick(TORN_TICK), data("more")));
                m.put("connect-while-data", FuzzInput.of(t, new Connect(1), data("busy"), new Tick(2000),
                        new AppRead(10)));
            }
        }
        return m;
    }

    /**
     * Two full-size segments of varied text and reads of part of them: about {@value #LONG_SEED_BYTES}
     * bytes encoded. libFuzzer with {@code -len_control=0} never mutates an input beyond the largest one it
     * started with (its {@code lim:}), whatever {@code -max_len} says; this seed is what lets inputs grow to
     * many actions. Its segments are MSS-sized, as a bulk transfer's are, so a changed repeat count makes
     * one of them a stream that fills the receive window.
     */
    static FuzzInput longTextStream(StreamTarget t) {
        String text = "The quick brown fox jumps over the lazy dog; pack my box with five dozen liquor jugs. ";
        Payload a = Payload.text(MSS, text.repeat(3).substring(0, 240));
        Payload b = Payload.text(MSS, text.repeat(3).substring(7, 247));
        List<Action> l = new java.util.ArrayList<>(List.of(seg(ACK | PSH, Rel.peerNext(0), a),
                seg(ACK | PSH, Rel.peerNext(0), b)));
        if (t.accepts(new AppRead(1))) {
            l.add(1, new AppRead(240));
            l.add(new AppRead(240));
        }
        return new FuzzInput(t, l);
    }

    static final int LONG_SEED_BYTES = 500;

    /** Full segments back to back until the guest's advertised window is full. */
    public static Segment windowFill() {
        return seg(ACK, Rel.peerNext(0), Payload.text(MSS, "w")).times(GUEST_WINDOW / MSS);
    }

    /**
     * The target's words for libFuzzer's dictionary ({@code -dict}): every distinct single action of
     * its seeds plus plain ones (reads and writes of a few sizes, a pause, one byte of data, an ACK, a
     * FIN, an RST; ticks and connects where the target has them). Inserted at an action boundary, a
     * word composes exchanges the seeds hold apart; no word is more than one action.
     */
    public static List<Action> vocabulary(StreamTarget t) {
        java.util.LinkedHashSet<Action> words = new java.util.LinkedHashSet<>();
        for (FuzzInput seed : forTarget(t).values()) {
            words.addAll(seed.actions());
        }
        List<Action> plain = new java.util.ArrayList<>(List.of(new AppRead(1), new AppRead(100), new AppRead(1000),
                new AppRead(65535), new AppWrite(1), new AppWrite(1000), new AppWrite(65535), new Advance(1000),
                new Advance(250_000), data("x"), seg(ACK, Rel.peerNext(0), Payload.NONE),
                seg(FIN | ACK, Rel.peerNext(0), Payload.NONE), seg(RST, Rel.peerNext(0), Payload.NONE), windowFill(),
                new Tick(96), new Tick(1008), new Tick(TORN_TICK), new Connect(0), new Connect(1)));
        for (Action a : plain) {
            if (t.accepts(a)) {
                words.add(a);
            }
        }
        return List.copyOf(words);
    }

    /** Writes every target's seeds into {@code dir/<target>/<name>} (atomically); args: [corpora dir]. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "corpora");
        for (StreamTarget t : StreamTarget.values()) {
            Path d = dir.resolve(t.id());
            Files.createDirectories(d);
            for (Map.Entry<String, FuzzInput> e : forTarget(t).entrySet()) {
                writeAtomically(d.resolve("seed-" + e.getKey()), InputEncoder.encode(e.getValue()));
            }
        }
    }

    static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            c.write(java.nio.ByteBuffer.wrap(bytes));
            c.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
