package dev.wirelab.emulator.device.virtio;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import static dev.wirelab.emulator.device.virtio.Virtio.*;

/**
 * virtio-blk (VIRTIO 1.2 section 5.2) over a raw image file, read through a
 * {@link FileChannel} in bounded chunks (the image is never mapped or loaded
 * whole). Read-only unless constructed writable; a read-only disk offers
 * VIRTIO_BLK_F_RO and answers writes with IOERR. Requests: IN, OUT, FLUSH,
 * GET_ID; anything else is UNSUPP. Sectors are 512 bytes; the capacity is the
 * file size rounded down to whole sectors, fixed at construction.
 *
 * <p>Request layout (5.2.6): device-readable {@code le32 type; le32 reserved;
 * le64 sector;} then data (readable for OUT, writable for IN), then one
 * device-writable status byte. A chain without a writable status byte cannot be
 * answered and puts the device into DEVICE_NEEDS_RESET; a request that can be
 * answered but is wrong (out-of-range sectors, short header, data not a whole
 * number of sectors) gets VIRTIO_BLK_S_IOERR.
 */
public final class VirtioBlk implements VirtioDevice, Closeable {
    // Feature bits (5.2.3).
    public static final int F_SEG_MAX = 2;
    public static final int F_RO = 5;
    public static final int F_FLUSH = 9;

    // Configuration space (5.2.4), little-endian.
    static final int CONFIG_CAPACITY = 0;   // le64, 512-byte sectors
    static final int CONFIG_SIZE_MAX = 8;   // le32 (not offered)
    static final int CONFIG_SEG_MAX = 12;   // le32
    static final int CONFIG_GEOMETRY = 16;  // le16 cylinders, u8 heads, u8 sectors (not offered)
    static final int CONFIG_BLK_SIZE = 20;  // le32 (not offered)
    static final int CONFIG_LENGTH = 24;

    // Request types and status values (5.2.6).
    public static final int T_IN = 0;
    public static final int T_OUT = 1;
    public static final int T_FLUSH = 4;
    public static final int T_GET_ID = 8;
    public static final int S_OK = 0;
    public static final int S_IOERR = 1;
    public static final int S_UNSUPP = 2;

    public static final int SECTOR = 512;
    public static final int QUEUE_SIZE = 128;
    static final int HEADER = 16;
    static final int ID_BYTES = 20;
    static final int CHUNK = 64 * 1024;

    /** Saved device state; the image contents are not part of it (a writable image is the caller's to snapshot). */
    public record State(long capacitySectors, boolean readOnly, long reads, long writes, long errors)
            implements VirtioDevice.DeviceState {
    }

    private final FileChannel channel;
    private final boolean readOnly;
    private final long capacity; // sectors
    private final byte[] id;
    private VirtioContext ctx;
    private long reads;
    private long writes;
    private long errors;

    /**
     * @param channel  the image, open for reading (and writing unless {@code readOnly})
     * @param readOnly offer VIRTIO_BLK_F_RO and refuse writes
     * @param serial   what GET_ID returns (at most 20 bytes of it, ASCII)
     */
    public VirtioBlk(FileChannel channel, boolean readOnly, String serial) throws IOException {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.readOnly = readOnly;
        this.capacity = channel.size() / SECTOR;
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        this.id = java.util.Arrays.copyOf(s, Math.min(s.length, ID_BYTES));
    }

    /** Opens {@code image} read-only, or read-write if {@code writable}. */
    public static VirtioBlk open(Path image, boolean writable) throws IOException {
        FileChannel ch = writable
                ? FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE)
                : FileChannel.open(image, StandardOpenOption.READ);
        return new VirtioBlk(ch, !writable, image.getFileName().toString());
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public int deviceId() {
        return ID_BLOCK;
    }

    @Override
    public String name() {
        return "virtio-blk";
    }

    @Override
    public long deviceFeatures() {
        return bit(F_SEG_MAX) | bit(F_FLUSH) | (readOnly ? bit(F_RO) : 0);
    }

    @Override
    public int queueCount() {
        return 1;
    }

    @Override
    public int queueMaxSize(int i) {
        return QUEUE_SIZE;
    }

    @Override
    public void attach(VirtioContext context) {
        this.ctx = context;
    }

    @Override
    public byte[] config() {
        byte[] c = new byte[CONFIG_LENGTH];
        for (int i = 0; i < 8; i++) {
            c[CONFIG_CAPACITY + i] = (byte) (capacity >>> (8 * i));
        }
        int segMax = QUEUE_SIZE - 2; // header and status take one descriptor each
        c[CONFIG_SEG_MAX] = (byte) segMax;
        c[CONFIG_SEG_MAX + 1] = (byte) (segMax >>> 8);
        return c;
    }

    @Override
    public void reset() {
    }

    public long capacitySectors() {
        return capacity;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public long errors() {
        return errors;
    }

    @Override
    public void notify(int queue) {
        GuestMemory mem = ctx.memory();
        Virtqueue q = ctx.queue(0);
        int n = q.pending(mem);
        boolean any = false;
        try {
            for (int i = 0; i < n; i++) {
                DescriptorChain c = q.pop(mem);
                if (c == null) {
                    break;
                }
                int written = handle(mem, c);
                q.addUsed(mem, c.head(), written);
                any = true;
            }
        } finally {
            if (any) {
                ctx.usedBuffers(q);
            }
        }
    }

    /** Executes one request; returns the bytes written into the chain (data + status). */
    private int handle(GuestMemory mem, DescriptorChain c) {
        if (c.writableLength() == 0) {
            throw new VirtioException(VirtioException.Kind.WRONG_DIRECTION, String.format(
                    "queue 0 head %d: block request without a device-writable status byte", c.head()));
        }
        long statusPos = c.writableLength() - 1;
        long dataIn = c.writableLength() - 1;   // writable bytes before the status byte
        String where = String.format("queue 0 head %d", c.head());
        if (c.readableLength() < HEADER) {
            ctx.log(where + ": request header of " + c.readableLength() + " bytes, need 16");
            return status(mem, c, statusPos, S_IOERR, 0);
        }
        byte[] h = new byte[HEADER];
        c.readReadable(mem, 0, h, 0, HEADER);
        int type = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16 | (h[3] & 0xff) << 24;
        long sector = 0;
        for (int i = 7; i >= 0; i--) {
            sector = (sector << 8) | (h[8 + i] & 0xff);
        }
        long dataOut = c.readableLength() - HEADER;
        try {
            return switch (type) {
                case T_IN -> {
                    if (!inRange(where, sector, dataIn)) {
                        yield status(mem, c, statusPos, S_IOERR, 0);
                    }
                    transfer(mem, c, sector, dataIn, false);
                    reads++;
                    yield status(mem, c, statusPos, S_OK, (int) dataIn);
                }
                case T_OUT -> {
                    if (readOnly) {
                        ctx.log(where + ": write to read-only disk at sector " + Long.toUnsignedString(sector));
                        yield status(mem, c, statusPos, S_IOERR, 0);
                    }
                    if (!inRange(where, sector, dataOut)) {
                        yield status(mem, c, statusPos, S_IOERR, 0);
                    }
                    transfer(mem, c, sector, dataOut, true);
                    writes++;
                    yield status(mem, c, statusPos, S_OK, 0);
                }
                case T_FLUSH -> {
                    if (!readOnly) {
                        channel.force(false);
                    }
                    yield status(mem, c, statusPos, S_OK, 0);
                }
                case T_GET_ID -> {
                    byte[] out = new byte[ID_BYTES];
                    System.arraycopy(id, 0, out, 0, id.length);
                    int n = (int) Math.min(ID_BYTES, dataIn);
                    c.writeWritable(mem, 0, out, 0, n);
                    yield status(mem, c, statusPos, S_OK, n);
                }
                default -> {
                    ctx.log(where + ": unsupported request type " + Integer.toUnsignedString(type));
                    yield status(mem, c, statusPos, S_UNSUPP, 0);
                }
            };
        } catch (IOException e) {
            ctx.log(where + ": host I/O error: " + e.getMessage());
            return status(mem, c, statusPos, S_IOERR, 0);
        }
    }

    private boolean inRange(String where, long sector, long bytes) {
        if (bytes % SECTOR != 0) {
            ctx.log(where + ": data length " + bytes + " is not a whole number of sectors");
            return false;
        }
        long sectors = bytes / SECTOR;
        if (Long.compareUnsigned(sector, capacity) > 0 || sectors > capacity - sector) {
            ctx.log(String.format("%s: sectors %s..+%d beyond capacity %d", where, Long.toUnsignedString(sector), sectors, capacity));
            return false;
        }
        return true;
    }

    /** Moves {@code len} bytes between the image at {@code sector} and the chain's data part, in bounded chunks. */
    private void transfer(GuestMemory mem, DescriptorChain c, long sector, long len, boolean toDisk) throws IOException {
        byte[] buf = new byte[(int) Math.min(CHUNK, Math.max(len, 1))];
        long pos = sector * SECTOR;
        for (long done = 0; done < len; ) {
            int n = (int) Math.min(buf.length, len - done);
            ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
            if (toDisk) {
                c.readReadable(mem, HEADER + done, buf, 0, n);
                while (bb.hasRemaining()) {
                    channel.write(bb, pos + done + bb.position());
                }
            } else {
                while (bb.hasRemaining()) {
                    if (channel.read(bb, pos + done + bb.position()) < 0) {
                        throw new IOException("image shorter than its capacity");
                    }
                }
                c.writeWritable(mem, done, buf, 0, n);
            }
            done += n;
        }
    }

    private int status(GuestMemory mem, DescriptorChain c, long statusPos, int status, int dataWritten) {
        if (status != S_OK) {
            errors++;
        }
        c.writeWritable(mem, statusPos, new byte[] {(byte) status}, 0, 1);
        return dataWritten + 1;
    }

    @Override
    public State save() {
        return new State(capacity, readOnly, reads, writes, errors);
    }

    @Override
    public void restore(DeviceState state) {
        if (!(state instanceof State s)) {
            throw new IllegalArgumentException("not a virtio-blk state: " + state);
        }
        if (s.capacitySectors() != capacity || s.readOnly() != readOnly) {
            throw new IllegalArgumentException("snapshot is for a different disk (capacity or read-only differs)");
        }
        if (s.reads() < 0 || s.writes() < 0 || s.errors() < 0) {
            throw new IllegalArgumentException("snapshot has negative counters");
        }
        reads = s.reads();
        writes = s.writes();
        errors = s.errors();
    }
}
