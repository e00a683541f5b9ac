package dev.wirelab.emulator.net;

import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.capture.PcapngWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Records every frame on a {@link VirtualWire} to pcapng: guest → host frames
 * as OUTBOUND, host → guest frames as INBOUND ({@code epb_flags}, seen from the
 * guest's NIC), stamped with virtual time in nanoseconds. A file recording
 * appears under its name only when {@link #close()} completes (the writer
 * renames a finished temporary file onto it), so a crash never leaves half a
 * capture behind.
 *
 * <pre>{@code
 * try (CaptureRecorder rec = CaptureRecorder.toFile(wire, Path.of("run.pcapng"))) {
 *     ... run the exchange ...
 * }
 * }</pre>
 *
 * The recorder is an observer, not part of the machine: snapshots do not carry
 * it, and after a restore it goes on appending what happens next.
 */
public final class CaptureRecorder implements AutoCloseable {
    private final VirtualWire wire;
    private final PcapngWriter writer;
    private final VirtualWire.Tap tap = this::frame;
    private long frames;
    private IOException failure;
    private boolean closed;

    private CaptureRecorder(VirtualWire wire, PcapngWriter writer) {
        this.wire = wire;
        this.writer = writer;
        wire.addTap(tap);
    }

    /** Records to {@code file} (written atomically on {@link #close()}). */
    public static CaptureRecorder toFile(VirtualWire wire, Path file) throws IOException {
        return new CaptureRecorder(wire, PcapngWriter.create(file));
    }

    /** Records in memory; {@link #bytes()} gives the pcapng so far. */
    public static CaptureRecorder inMemory(VirtualWire wire) {
        return new CaptureRecorder(wire, PcapngWriter.inMemory());
    }

    private void frame(long nanos, Direction direction, byte[] frame) {
        if (failure != null) {
            return;
        }
        try {
            writer.write(nanos, frame, direction);
            frames++;
        } catch (IOException e) {
            failure = e; // reported by close(); the run itself must not fail because a disk did
        }
    }

    /** Frames recorded so far. */
    public long frames() {
        return frames;
    }

    /** The capture so far (in-memory recorders only). */
    public byte[] bytes() {
        try {
            return writer.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Stops recording and finishes the file; throws if any write failed (the target is then left untouched). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        wire.removeTap(tap);
        if (failure != null) {
            writer.abort();
            throw failure;
        }
        writer.close();
    }
}
