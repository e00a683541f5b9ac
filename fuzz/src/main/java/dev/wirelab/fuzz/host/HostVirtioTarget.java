package dev.wirelab.fuzz.host;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.virtio.SegmentGuestMemory;
import dev.wirelab.emulator.device.virtio.VirtioBlk;
import dev.wirelab.emulator.device.virtio.VirtioDevice;
import dev.wirelab.emulator.device.virtio.VirtioMmioTransport;
import dev.wirelab.emulator.device.virtio.VirtioNet;
import dev.wirelab.emulator.device.virtio.VirtioRng;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code host-virtio}: the virtio-mmio transport and the net, blk and rng models driven by a hostile
 * guest with no CPU — the input is a program of register writes and reads, guest-RAM stores
 * (descriptors, rings, headers), queue notifications and frames delivered from the wire. Guest
 * mistakes must end as logged guest errors (and DEVICE_NEEDS_RESET); any exception escaping the
 * device is a finding, and so is a hang (Jazzer's timeout).
 */
public final class HostVirtioTarget {
    static final long RAM = 0x4000_0000L;
    static final int RAM_SIZE = 64 << 10;
    static final long BASE = 0x0a00_0000L;
    static final int BLK_SIZE = 16 << 10;
    /** Register offsets (virtio 1.2 §4.2.2) the program names by index, so mutations stay meaningful. */
    static final int[] REGS = {0x000, 0x004, 0x008, 0x00c, 0x010, 0x014, 0x020, 0x024, 0x028, 0x030, 0x034, 0x038,
        0x03c, 0x040, 0x044, 0x050, 0x060, 0x064, 0x070, 0x080, 0x084, 0x090, 0x094, 0x0a0, 0x0a4, 0x0fc, 0x100, 0x104};
    static final int STATUS = 0x070;
    static final int MAX_OPS = 256;

    private static final Arena ARENA = Arena.ofShared();
    private static final MemorySegment RAM_SEGMENT = ARENA.allocate(RAM_SIZE, 4096);
    private static final FileChannel DISK = disk();

    private HostVirtioTarget() {
    }

    private static FileChannel disk() {
        try {
            Path p = Files.createTempFile("wirelab-host-virtio", ".img");
            p.toFile().deleteOnExit();
            return FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("host-virtio: cannot create its disk image", e);
        }
    }

    public static void fuzzerTestOneInput(FuzzedDataProvider data) throws IOException {
        RAM_SEGMENT.fill((byte) 0);
        SegmentGuestMemory mem = new SegmentGuestMemory(RAM_SEGMENT, RAM);
        GuestLog log = new GuestLog(() -> 0);
        IrqLine irq = level -> { };
        int kind = data.consumeInt(0, 2);
        VirtioNet[] net = new VirtioNet[1];
        VirtioDevice device = switch (kind) {
            case 0 -> net[0] = new VirtioNet(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}, data.consumeInt(68, 9000),
                    data.consumeBoolean(), frame -> { });
            case 1 -> {
                DISK.truncate(0);
                DISK.write(ByteBuffer.allocate(BLK_SIZE), 0);
                yield new VirtioBlk(DISK, data.consumeBoolean(), "fuzz");
            }
            default -> new VirtioRng(data.consumeLong());
        };
        VirtioMmioTransport t = new VirtioMmioTransport(BASE, data.consumeBoolean() ? 2 : 1, device, mem, irq, log);
        for (int op = 0; op < MAX_OPS && data.remainingBytes() > 0; op++) {
            switch (data.consumeInt(0, 6)) {
                case 0 -> t.write(reg(data), 4, data.consumeInt() & 0xffff_ffffL);
                case 1 -> t.read(reg(data), 4);
                case 2 -> t.write(data.consumeInt(0, 0x1ff), data.pickValue(new int[] {1, 2, 4, 8}), data.consumeLong());
                case 3 -> {
                    long at = RAM + data.consumeInt(0, RAM_SIZE - 8);
                    mem.writeU32(at, data.consumeInt());
                    mem.writeU32(at + 4, data.consumeInt());
                }
                case 4 -> t.write(0x050, 4, data.consumeInt(0, 3)); // QueueNotify
                case 5 -> {
                    if (net[0] != null) {
                        net[0].deliver(data.consumeBytes(data.consumeInt(0, 2000)));
                    }
                }
                default -> driverInit(t, data.consumeInt(0, 2), data.consumeInt(1, 256), data.consumeInt(0, RAM_SIZE / 4096 - 1));
            }
        }
    }

    private static int reg(FuzzedDataProvider data) {
        return REGS[data.consumeInt(0, REGS.length - 1)];
    }

    /** A well-behaved modern driver's queue setup (virtio 1.2 §3.1.1), so fuzzing starts from working queues. */
    private static void driverInit(VirtioMmioTransport t, int queue, int size, int page) {
        t.write(STATUS, 4, 0);
        t.write(STATUS, 4, 1 | 2);
        t.write(0x024, 4, 1);
        t.write(0x020, 4, 1); // VIRTIO_F_VERSION_1
        t.write(STATUS, 4, 1 | 2 | 8);
        t.write(0x030, 4, queue);
        t.write(0x038, 4, size);
        long desc = RAM + (long) page * 4096;
        t.write(0x080, 4, desc);
        t.write(0x084, 4, 0);
        t.write(0x090, 4, desc + 16L * size);
        t.write(0x094, 4, 0);
        t.write(0x0a0, 4, (desc + 16L * size + 6 + 2L * size + 3) & ~3L);
        t.write(0x0a4, 4, 0);
        t.write(0x044, 4, 1);
        t.write(STATUS, 4, 1 | 2 | 8 | 4);
    }
}
