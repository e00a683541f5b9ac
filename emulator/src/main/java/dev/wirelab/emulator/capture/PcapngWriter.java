package dev.wirelab.emulator.capture;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes pcapng (little-endian, one section): a Section Header Block, Interface
 * Description Blocks (interface 0 is Ethernet with nanosecond timestamps,
 * {@code if_tsresol} = 9), and Enhanced Packet Blocks whose timestamps the caller
 * gives (wirelab passes virtual time in ns), with an optional direction
 * ({@code epb_flags}) and comment.
 *
 * <p>File mode is atomic: blocks go to {@code .<name>.partial} beside the target;
 * {@link #close()} flushes, fsyncs, and renames it onto the target, so the target
 * name only ever holds a complete file. {@link #abort()} (or a crash) leaves the
 * target untouched. The temporary name is fixed (no randomness): two writers must
 * not target the same file at once.
 *
 * <p>The output depends only on the calls made — no clock, no host names. Not
 * thread-safe: one writer per recording thread (or synchronize around it).
 */
public final class PcapngWriter implements Closeable {
    private static final int SHB = 0x0a0d0d0a;
    private static final int IDB = 1;
    private static final int EPB = 6;
    private static final int OPT_COMMENT = 1;
    private static final int OPT_IF_NAME = 2;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_EPB_FLAGS = 2;
    private static final int OPT_SHB_USERAPPL = 4;
    private static final int DEFAULT_SNAPLEN = 262144;

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream out;
    private final ByteArrayOutputStream memory;
    private int interfaces;
    private boolean closed;

    private PcapngWriter(Path target, Path temp, FileChannel channel, OutputStream out, ByteArrayOutputStream memory)
            throws IOException {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.out = out;
        this.memory = memory;
        writeSectionHeader();
        addInterface(LinkType.ETHERNET, "wirelab0");
    }

    /** Writes to {@code target} atomically: nothing appears under that name until {@link #close()}. */
    public static PcapngWriter create(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Path temp = abs.resolveSibling("." + abs.getFileName() + ".partial");
        FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        try {
            return new PcapngWriter(abs, temp, ch, new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16),
                    null);
        } catch (IOException | RuntimeException e) {
            ch.close();
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** Collects the file in memory; {@link #toByteArray()} returns it. */
    public static PcapngWriter inMemory() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            return new PcapngWriter(null, null, null, bytes, bytes);
        } catch (IOException e) {
            throw new IllegalStateException("in-memory write failed", e);
        }
    }

    /**
     * Adds an interface with nanosecond timestamps; returns its id (0 is the Ethernet
     * interface every writer starts with).
     */
    public int addInterface(int linkType, String name) throws IOException {
        checkOpen();
        Block b = new Block(IDB);
        b.u16(linkType).u16(0).u32(DEFAULT_SNAPLEN);
        if (name != null) {
            b.option(OPT_IF_NAME, name.getBytes(StandardCharsets.UTF_8));
        }
        b.option(OPT_IF_TSRESOL, new byte[] {9});
        b.endOptions();
        b.writeTo(out);
        return interfaces++;
    }

    /** An Ethernet frame on interface 0 at {@code timestampNanos}. */
    public void write(long timestampNanos, byte[] frame) throws IOException {
        write(0, timestampNanos, frame, frame.length, Direction.UNKNOWN, null);
    }

    /** An Ethernet frame on interface 0 with a direction (and no comment). */
    public void write(long timestampNanos, byte[] frame, Direction direction) throws IOException {
        write(0, timestampNanos, frame, frame.length, direction, null);
    }

    /**
     * An Enhanced Packet Block.
     *
     * @param originalLength the length on the wire (≥ {@code data.length} unless you mean to lie)
     * @param comment optional (null for none)
     */
    public void write(int interfaceId, long timestampNanos, byte[] data, int originalLength, Direction direction,
            String comment) throws IOException {
        checkOpen();
        if (interfaceId < 0 || interfaceId >= interfaces) {
            throw new IllegalArgumentException("interface " + interfaceId + " not added (have " + interfaces + ")");
        }
        if (timestampNanos < 0) {
            throw new IllegalArgumentException("negative timestamp " + timestampNanos);
        }
        Block b = new Block(EPB);
        b.u32(interfaceId).u32((int) (timestampNanos >>> 32)).u32((int) timestampNanos).u32(data.length)
                .u32(originalLength).bytes(data).pad();
        boolean opts = false;
        if (direction != null && direction != Direction.UNKNOWN) {
            b.option(OPT_EPB_FLAGS, le32(direction.bits));
            opts = true;
        }
        if (comment != null) {
            b.option(OPT_COMMENT, comment.getBytes(StandardCharsets.UTF_8));
            opts = true;
        }
        if (opts) {
            b.endOptions();
        }
        b.writeTo(out);
    }

    /** The file so far (in-memory mode only). */
    public byte[] toByteArray() throws IOException {
        if (memory == null) {
            throw new IllegalStateException("not an in-memory writer");
        }
        out.flush();
        return memory.toByteArray();
    }

    /** Finishes the file: flush, fsync, rename onto the target (file mode). */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel == null) {
            return;
        }
        boolean done = false;
        try {
            out.flush();
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot rename " + temp + " onto " + target + " atomically", e);
            }
            syncDirectory(target.getParent());
            done = true;
        } finally {
            if (!done) {
                channel.close();
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Drops the partial file; the target is not touched. */
    public void abort() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null) {
            channel.close();
            Files.deleteIfExists(temp);
        }
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException e) {
            // not every platform lets a directory be opened and synced; the rename itself is done
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("writer is closed");
        }
    }

    private void writeSectionHeader() throws IOException {
        Block b = new Block(SHB);
        b.u32(0x1a2b3c4d).u16(1).u16(0).u32(-1).u32(-1); // section length -1: not given
        b.option(OPT_SHB_USERAPPL, "wirelab".getBytes(StandardCharsets.UTF_8));
        b.endOptions();
        b.writeTo(out);
    }

    private static byte[] le32(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    /** One little-endian block being assembled. */
    private static final class Block {
        private ByteBuffer buf = ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);

        Block(int type) {
            u32(type).u32(0);
        }

        private void room(int n) {
            if (buf.remaining() < n) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(buf.capacity() * 2, buf.position() + n + 16))
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
        }

        Block u16(int v) {
            room(2);
            buf.putShort((short) v);
            return this;
        }

        Block u32(int v) {
            room(4);
            buf.putInt(v);
            return this;
        }

        Block bytes(byte[] v) {
            room(v.length);
            buf.put(v);
            return this;
        }

        Block pad() {
            while ((buf.position() & 3) != 0) {
                room(1);
                buf.put((byte) 0);
            }
            return this;
        }

        Block option(int code, byte[] value) {
            if (value.length > 0xffff) {
                throw new IllegalArgumentException("option value of " + value.length + " bytes exceeds 65535");
            }
            return u16(code).u16(value.length).bytes(value).pad();
        }

        Block endOptions() {
            return u16(0).u16(0);
        }

        void writeTo(OutputStream out) throws IOException {
            int len = buf.position() + 4;
            buf.putInt(4, len);
            u32(len);
            out.write(buf.array(), 0, buf.position());
        }
    }
}
