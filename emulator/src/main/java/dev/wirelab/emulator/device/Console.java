package dev.wirelab.emulator.device;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

/**
 * The board's console: what the guest prints (UART TX and semihosting output,
 * interleaved in the order the guest produced them) and what the host types
 * (queued bytes the UART hands to the guest as its FIFO has room).
 */
public final class Console {
    private final ByteArrayOutputStream transcript = new ByteArrayOutputStream();
    private final ArrayDeque<Byte> input = new ArrayDeque<>();
    private OutputStream live;
    private Runnable inputListener = () -> { };
    private java.util.function.IntConsumer writeListener = b -> { };
    private long limit = 64L << 20;

    /** Also copy guest output to {@code out} as it is produced (the CLI passes stdout). */
    public void echoTo(OutputStream out) {
        this.live = out;
    }

    /** Where output is echoed now (null: nowhere); a debugger re-executing the past mutes it meanwhile. */
    public OutputStream echo() {
        return live;
    }

    /** Keep at most this many transcript bytes (a guest printing forever must not exhaust the heap). */
    public void transcriptLimit(long bytes) {
        this.limit = bytes;
    }

    /** Told every byte the guest writes (the board stamps it into the trace). */
    public void onWrite(java.util.function.IntConsumer l) {
        this.writeListener = l;
    }

    public void write(int b) {
        writeListener.accept(b);
        if (transcript.size() < limit) {
            transcript.write(b);
        }
        if (live != null) {
            try {
                live.write(b);
                if (b == '\n') {
                    live.flush();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public void flush() {
        if (live != null) {
            try {
                live.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Everything the guest has printed since reset. */
    public byte[] transcript() {
        return transcript.toByteArray();
    }

    public String text() {
        return transcript.toString(StandardCharsets.UTF_8);
    }

    /** Queues bytes for the guest to read from the UART. */
    public void input(byte[] bytes) {
        for (byte b : bytes) {
            input.add(b);
        }
        inputListener.run();
    }

    public void input(String s) {
        input(s.getBytes(StandardCharsets.UTF_8));
    }

    public boolean hasInput() {
        return !input.isEmpty();
    }

    /** Next queued input byte, or -1. */
    public int takeInput() {
        Byte b = input.poll();
        return b == null ? -1 : (b & 0xff);
    }

    /** The UART registers here to pull input when bytes arrive. */
    public void onInput(Runnable r) {
        this.inputListener = r;
    }

    public State save() {
        return new State(transcript.toByteArray(), input.stream().collect(ByteArrayOutputStream::new,
                ByteArrayOutputStream::write, (a, b) -> a.writeBytes(b.toByteArray())).toByteArray());
    }

    public void restore(State s) {
        transcript.reset();
        transcript.writeBytes(s.transcript);
        input.clear();
        for (byte b : s.pendingInput) {
            input.add(b);
        }
    }

    public void reset() {
        transcript.reset();
        input.clear();
    }

    public record State(byte[] transcript, byte[] pendingInput) { }
}
