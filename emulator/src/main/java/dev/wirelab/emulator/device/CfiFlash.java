package dev.wirelab.emulator.device;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bank of QEMU virt's parallel NOR flash: Intel/Sharp command set with a CFI
 * query table, modelled on what QEMU's pflash_cfi01 does (read its behaviour, not
 * its code). Two x16 devices side by side make a 32-bit bank (QEMU virt: width 4,
 * device-width 2, 256 KiB sectors, ids 0x89/0x18).
 *
 * <p>Command map (the low byte of a write while no command is in progress):
 * <pre>
 *   0x00, 0xf0, 0xff  read array                 0x70  read status register
 *   0x10, 0x40        word program (next write)  0x90  read identifier (0x89, 0x18)
 *   0x20, 0x28        block erase (confirm 0xd0) 0x98  CFI query ("QRY" at 0x10 * 4)
 *   0x50              clear status               0xe8  buffered program: count-1, words, 0xd0
 *                                                      (the words reach the array at the 0xd0)
 *   0x60              block lock/unlock (0xd0/0x01, accepted, no locking)
 * </pre>
 * Status register: 0x80 ready, 0x20 erase error, 0x10 program error (the bank is read-only).
 *
 * <p>Like QEMU's ROM device the bank has two faces: in read-array mode ({@link #romMode()}) the
 * board maps its storage as plain read/execute memory and only a write reaches this class
 * (which leaves ROM mode: reads then come here until the guest returns to read array).
 */
public final class CfiFlash implements MmioDevice {
    /** QEMU virt's flash geometry. */
    public static final long BANK_SIZE = 64L << 20;
    public static final int SECTOR_SIZE = 256 << 10;
    private static final int BANK_WIDTH = 4;
    private static final int DEVICE_WIDTH = 2;
    private static final int DEVICES = BANK_WIDTH / DEVICE_WIDTH;
    /** Write buffer: 2 KiB per device (CFI 0x2a), both devices side by side. */
    private static final int WRITE_BUFFER = 2048 * DEVICES;
    private static final int MANUFACTURER = 0x89;
    private static final int DEVICE_ID = 0x18;

    private static final int STATUS_READY = 0x80;
    private static final int STATUS_ERASE_ERROR = 0x20;
    private static final int STATUS_PROGRAM_ERROR = 0x10;

    /** Told about every change of the bank's contents (the trace) and of its ROM/IO face (the board's mapping). */
    public interface Listener {
        void modified(long offset, int length);

        void romModeChanged(boolean rom);
    }

    /** Mode state plus the sectors the guest changed since the board was built (their contents then). */
    public record State(int wcycle, int cmd, int status, long counter, boolean rom, byte[] buffer, long bufferOffset,
                        Map<Integer, byte[]> sectors) {
        public State {
            sectors = Map.copyOf(sectors);
            buffer = buffer == null ? null : buffer.clone();
        }
    }

    private final String name;
    private final long base;
    private final MemorySegment storage;
    private final boolean readOnly;
    private final FileChannel file;
    private final GuestLog log;
    private final byte[] cfi = cfiTable();
    private Listener listener = new Listener() {
        @Override
        public void modified(long offset, int length) { }

        @Override
        public void romModeChanged(boolean rom) { }
    };

    private int wcycle;
    private int cmd;
    private int status = STATUS_READY;
    private long counter;
    private boolean rom = true;
    /** The open write buffer of a buffered program and where it goes, or null. */
    private byte[] buffer;
    private long bufferOffset;
    /** Contents of every sector the guest changed, as they were before its first change (for restores). */
    private final Map<Integer, byte[]> pristine = new HashMap<>();

    /**
     * @param storage  the bank's bytes ({@link #BANK_SIZE}), shared with the board's ROM mapping
     * @param readOnly program and erase fail with the status error bits (QEMU's readonly drive)
     * @param file     where changes are written through (a writable image), or null
     */
    public CfiFlash(String name, long base, MemorySegment storage, boolean readOnly, FileChannel file, GuestLog log) {
        if (storage.byteSize() != BANK_SIZE) {
            throw new IllegalArgumentException(name + ": a bank is " + BANK_SIZE + " bytes, not " + storage.byteSize());
        }
        this.name = name;
        this.base = base;
        this.storage = storage;
        this.readOnly = readOnly;
        this.file = file;
        this.log = log;
    }

    public void listener(Listener l) {
        this.listener = java.util.Objects.requireNonNull(l, "listener");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long base() {
        return base;
    }

    @Override
    public long size() {
        return BANK_SIZE;
    }

    /** True while the bank reads as its array: the board may map the storage directly. */
    public boolean romMode() {
        return rom;
    }

    public boolean readOnly() {
        return readOnly;
    }

    /** The bank's bytes (what the board maps while the bank is in ROM mode). */
    public MemorySegment storage() {
        return storage;
    }

    /**
     * A write reached the bank while it was mapped as ROM: the board is about to replay it through
     * {@link #write} with the bank in IO mode (QEMU leaves ROM mode on any write).
     */
    public void leaveRomMode() {
        setRom(false);
    }

    @Override
    public long read(long offset, int size) {
        if (size == 8) {
            return (read(offset, 4) & 0xffff_ffffL) | (read(offset + 4, 4) << 32);
        }
        long mask = size == 8 ? -1L : (1L << (8 * size)) - 1;
        return switch (cmd) {
            case 0x10, 0x20, 0x28, 0x40, 0x50, 0x60, 0x70, 0xe8 -> replicate(status, size) & mask;
            case 0x90 -> identifier(offset) & mask;
            case 0x98 -> query(offset) & mask;
            default -> {
                if (cmd != 0) {
                    wcycle = 0;
                    cmd = 0;
                }
                yield array(offset, size);
            }
        };
    }

    private long array(long offset, int size) {
        if (offset < 0 || offset + size > BANK_SIZE) {
            return 0;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (storage.get(ValueLayout.JAVA_BYTE, offset + i) & 0xff);
        }
        return v;
    }

    /** One value per device, side by side across the bank's width. */
    private static long replicate(int perDevice, int size) {
        long v = perDevice & 0xffff;
        if (size > DEVICE_WIDTH) {
            v |= v << 16;
        }
        return v;
    }

    /** CFI query: addresses count in bank words (offset / 4); each device answers its table byte. */
    private long query(long offset) {
        long index = offset >> 2;
        int b = index < cfi.length ? cfi[(int) index] & 0xff : 0;
        return replicate(b, BANK_WIDTH);
    }

    private long identifier(long offset) {
        return switch ((int) ((offset >> 2) & 0xff)) {
            case 0 -> replicate(MANUFACTURER, BANK_WIDTH);
            case 1 -> replicate(DEVICE_ID, BANK_WIDTH);
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        if (size == 8) {
            write(offset, 4, value);
            write(offset + 4, 4, value >>> 32);
            return;
        }
        int command = (int) (value & 0xff);
        if (wcycle == 0) {
            setRom(false);
        }
        switch (wcycle) {
            case 0 -> firstCycle(offset, command);
            case 1 -> secondCycle(offset, size, value, command);
            case 2 -> bufferWord(offset, size, value);
            case 3 -> confirmBuffer(offset, command, value);
            default -> readArray();
        }
    }

    private void firstCycle(long offset, int command) {
        switch (command) {
            case 0x00, 0xf0, 0xff -> readArray();
            case 0x10, 0x40, 0x60, 0x98 -> start(command);
            case 0x20 -> {
                long sector = offset & -(long) SECTOR_SIZE;
                if (readOnly || sector < 0 || sector >= BANK_SIZE) {
                    status |= STATUS_ERASE_ERROR;
                } else {
                    change(sector, SECTOR_SIZE, () -> storage.asSlice(sector, SECTOR_SIZE).fill((byte) 0xff));
                }
                status |= STATUS_READY;
                start(command);
            }
            case 0x50 -> {
                status = 0;
                readArray();
            }
            case 0x70, 0x90 -> cmd = command;
            case 0xe8 -> {
                status |= STATUS_READY;
                start(command);
            }
            default -> unsupported(offset, command);
        }
    }

    private void start(int command) {
        wcycle++;
        cmd = command;
    }

    private void secondCycle(long offset, int size, long value, int command) {
        switch (cmd) {
            case 0x10, 0x40 -> {
                program(offset, size, value);
                status |= STATUS_READY;
                wcycle = 0;
            }
            case 0x20, 0x28 -> {
                if (command == 0xd0) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else if (command == 0xff) {
                    readArray();
                } else {
                    unsupported(offset, value);
                }
            }
            case 0xe8 -> {
                counter = value & 0xffff; // one device's width
                buffer = null;
                wcycle++;
            }
            case 0x60 -> {
                if (command == 0xd0 || command == 0x01) {
                    wcycle = 0;
                    status |= STATUS_READY;
                } else {
                    readArray();
                }
            }
            case 0x98 -> {
                if (command == 0xff) {
                    readArray();
                } // anything else: stays in query mode
            }
            default -> unsupported(offset, value);
        }
    }

    /**
     * A word of a buffered program goes to the write buffer (QEMU: one 4 KiB window per bank,
     * opened at the first word) and reaches the array only at the confirm.
     */
    private void bufferWord(long offset, int size, long value) {
        if (cmd != 0xe8) {
            unsupported(offset, value);
            return;
        }
        if (buffer == null) {
            bufferOffset = offset & -(long) WRITE_BUFFER;
            buffer = bufferOffset >= 0 && bufferOffset < BANK_SIZE
                    ? storage.asSlice(bufferOffset, WRITE_BUFFER).toArray(ValueLayout.JAVA_BYTE) : null;
        }
        if (readOnly || buffer == null || offset < bufferOffset || offset + size > bufferOffset + WRITE_BUFFER) {
            status |= STATUS_PROGRAM_ERROR;
        } else {
            for (int i = 0; i < size; i++) {
                buffer[(int) (offset - bufferOffset) + i] = (byte) (value >>> (8 * i));
            }
        }
        status |= STATUS_READY;
        if (counter == 0) {
            wcycle++;
        }
        counter--;
    }

    /** The confirm of a buffered program: the buffer reaches the array unless a word failed. */
    private void confirmBuffer(long offset, int command, long value) {
        if (cmd == 0xe8 && command == 0xd0 && (status & STATUS_PROGRAM_ERROR) == 0 && buffer != null) {
            byte[] data = buffer;
            long at = bufferOffset;
            buffer = null;
            change(at, data.length, () -> MemorySegment.copy(data, 0, storage, ValueLayout.JAVA_BYTE, at, data.length));
            wcycle = 0;
            status |= STATUS_READY;
        } else {
            buffer = null; // aborted: nothing of it reaches the array
            if (cmd != 0xe8) {
                unsupported(offset, value);
            } else {
                readArray();
            }
        }
    }

    private void program(long offset, int size, long value) {
        if (readOnly || offset < 0 || offset + size > BANK_SIZE) {
            status |= STATUS_PROGRAM_ERROR;
            return;
        }
        change(offset, size, () -> {
            for (int i = 0; i < size; i++) {
                storage.set(ValueLayout.JAVA_BYTE, offset + i, (byte) (value >>> (8 * i)));
            }
        });
    }

    private void readArray() {
        wcycle = 0;
        cmd = 0;
        setRom(true);
    }

    private void unsupported(long offset, long value) {
        log.error(name, String.format("unsupported command sequence (offset 0x%x, cycle %d, command 0x%02x, value 0x%x):"
                + " back to read array", offset, wcycle, cmd, value));
        readArray();
    }

    private void setRom(boolean on) {
        if (rom != on) {
            rom = on;
            listener.romModeChanged(on);
        }
    }

    /** Applies a content change: the sector's first version is kept, the file follows, the trace hears. */
    private void change(long offset, int length, Runnable apply) {
        int sector = (int) (offset / SECTOR_SIZE);
        pristine.computeIfAbsent(sector, s -> sectorBytes(s));
        apply.run();
        writeThrough(offset, length);
        listener.modified(offset, length);
    }

    private byte[] sectorBytes(int sector) {
        return storage.asSlice((long) sector * SECTOR_SIZE, SECTOR_SIZE).toArray(ValueLayout.JAVA_BYTE);
    }

    private void writeThrough(long offset, int length) {
        if (file == null) {
            return;
        }
        try {
            ByteBuffer b = storage.asSlice(offset, length).asByteBuffer();
            long at = offset;
            while (b.hasRemaining()) {
                at += file.write(b, at);
            }
        } catch (IOException e) {
            log.error(name, "writing the flash image failed at offset 0x" + Long.toHexString(offset) + ": " + e.getMessage());
        }
    }

    @Override
    public void reset() {
        buffer = null;
        wcycle = 0;
        cmd = 0;
        status = STATUS_READY;
        setRom(true);
    }

    public State save() {
        Map<Integer, byte[]> now = new TreeMap<>();
        for (int s : pristine.keySet()) {
            now.put(s, sectorBytes(s));
        }
        return new State(wcycle, cmd, status, counter, rom, buffer, bufferOffset, now);
    }

    /**
     * Back to {@code s}: mode, status and the contents of every sector changed since either moment.
     * Returns whether any content was rewritten (translated code from it is stale).
     */
    public boolean restore(State s) {
        wcycle = s.wcycle();
        cmd = s.cmd();
        status = s.status();
        counter = s.counter();
        buffer = s.buffer() == null ? null : s.buffer().clone();
        bufferOffset = s.bufferOffset();
        for (var e : pristine.entrySet()) {
            byte[] content = s.sectors().getOrDefault(e.getKey(), e.getValue());
            long at = (long) e.getKey() * SECTOR_SIZE;
            MemorySegment.copy(content, 0, storage, ValueLayout.JAVA_BYTE, at, content.length);
            writeThrough(at, content.length);
        }
        boolean rewritten = !pristine.isEmpty();
        pristine.keySet().retainAll(s.sectors().keySet());
        setRom(s.rom());
        return rewritten;
    }

    /**
     * The CFI query table of one x16 device as QEMU virt reports it (two devices per bank, each
     * with 256 sectors of 128 KiB, 32 MiB, 2 KiB write buffer, primary extended table "PRI1.0").
     */
    private static byte[] cfiTable() {
        byte[] t = new byte[0x52];
        long sectorPerDevice = SECTOR_SIZE / DEVICES;
        int blocks = (int) (BANK_SIZE / SECTOR_SIZE);
        int[][] entries = {
                {0x10, 'Q'}, {0x11, 'R'}, {0x12, 'Y'},
                {0x13, 0x01}, {0x14, 0x00},           // Intel/Sharp command set
                {0x15, 0x31}, {0x16, 0x00},           // primary extended table at 0x31
                {0x1b, 0x45}, {0x1c, 0x55},           // Vcc min/max
                {0x1f, 0x07}, {0x20, 0x07}, {0x21, 0x0a}, {0x22, 0x00},
                {0x23, 0x04}, {0x24, 0x04}, {0x25, 0x04}, {0x26, 0x00},
                {0x27, Long.numberOfTrailingZeros(sectorPerDevice * blocks)},
                {0x28, 0x02}, {0x29, 0x00},           // x8/x16 interface
                {0x2a, 0x0b}, {0x2b, 0x00},           // 2 KiB write buffer
                {0x2c, 0x01},                         // one uniform erase region
                {0x2d, (blocks - 1) & 0xff}, {0x2e, (blocks - 1) >> 8},
                {0x2f, (int) (sectorPerDevice >> 8) & 0xff}, {0x30, (int) (sectorPerDevice >> 16) & 0xff},
                {0x31, 'P'}, {0x32, 'R'}, {0x33, 'I'}, {0x34, '1'}, {0x35, '0'},
                {0x3f, 0x01},                         // one protection field
        };
        for (int[] e : entries) {
            t[e[0]] = (byte) e[1];
        }
        return t;
    }
}
