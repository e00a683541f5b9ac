package dev.wirelab.emulator.device.virtio;

import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.MmioDevice;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.wirelab.emulator.device.virtio.Virtio.*;

/**
 * Virtio over MMIO (VIRTIO 1.2 section 4.2), version 2 ("modern") or version 1
 * ("legacy", 4.2.4), as QEMU's hw/virtio/virtio-mmio.c presents it on the virt
 * board: one 0x200-byte slot, one level-triggered SPI.
 *
 * <p>Registers are 32 bits wide and must be accessed as such; the device
 * configuration space from 0x100 takes 1-, 2- and 4-byte accesses. Guest
 * mistakes in register use are logged and ignored; guest mistakes in queue
 * contents put the device into DEVICE_NEEDS_RESET (status bit 0x40) with a
 * configuration-change interrupt (2.1.2) until the driver resets it by writing
 * 0 to Status. Nothing here throws out of {@link #read} or {@link #write}.
 *
 * <p>A transport built with {@link #empty} has no device: it reads MagicValue,
 * Version, VendorID and DeviceID 0 (and 0 elsewhere) so that a driver probing
 * all 32 slots skips it, as QEMU does.
 */
public final class VirtioMmioTransport implements MmioDevice {
    // Register map (4.2.2; legacy-only registers from 4.2.4).
    static final int MAGIC_VALUE = 0x000;          // R  0x74726976 "virt"
    static final int VERSION = 0x004;              // R  1 legacy, 2 modern
    static final int DEVICE_ID = 0x008;            // R
    static final int VENDOR_ID = 0x00c;            // R
    static final int DEVICE_FEATURES = 0x010;      // R  32-bit window selected by DeviceFeaturesSel
    static final int DEVICE_FEATURES_SEL = 0x014;  // W
    static final int DRIVER_FEATURES = 0x020;      // W  32-bit window selected by DriverFeaturesSel
    static final int DRIVER_FEATURES_SEL = 0x024;  // W
    static final int GUEST_PAGE_SIZE = 0x028;      // W  legacy
    static final int QUEUE_SEL = 0x030;            // W
    static final int QUEUE_NUM_MAX = 0x034;        // R
    static final int QUEUE_NUM = 0x038;            // W
    static final int QUEUE_ALIGN = 0x03c;          // W  legacy
    static final int QUEUE_PFN = 0x040;            // RW legacy
    static final int QUEUE_READY = 0x044;          // RW modern
    static final int QUEUE_NOTIFY = 0x050;         // W
    static final int INTERRUPT_STATUS = 0x060;     // R
    static final int INTERRUPT_ACK = 0x064;        // W
    static final int STATUS = 0x070;               // RW
    static final int QUEUE_DESC_LOW = 0x080;       // W  modern
    static final int QUEUE_DESC_HIGH = 0x084;      // W  modern
    static final int QUEUE_DRIVER_LOW = 0x090;     // W  modern (available ring)
    static final int QUEUE_DRIVER_HIGH = 0x094;    // W  modern
    static final int QUEUE_DEVICE_LOW = 0x0a0;     // W  modern (used ring)
    static final int QUEUE_DEVICE_HIGH = 0x0a4;    // W  modern
    static final int CONFIG_GENERATION = 0x0fc;    // R  modern
    static final int CONFIG = 0x100;               // RW device-specific

    public static final int MAGIC = 0x7472_6976;   // "virt"
    public static final int VENDOR_QEMU = 0x554d_4551; // "QEMU"
    /** One transport's register window (QEMU virt places them this far apart). */
    public static final long SIZE = 0x200;
    static final int CONFIG_SIZE = (int) SIZE - CONFIG;

    /** Saved transport state, queues and the device's own state ({@code device} is null for an empty slot). */
    public record State(int version, int deviceId, int status, long driverFeatures, int deviceFeaturesSel,
                        int driverFeaturesSel, int guestPageSize, int queueSel, int interruptStatus,
                        int configGeneration, List<Integer> queueAlign, List<Virtqueue.State> queues,
                        VirtioDevice.DeviceState device) {
        public State {
            queueAlign = List.copyOf(queueAlign);
            queues = List.copyOf(queues);
        }
    }

    private final long base;
    private final int version;
    private final VirtioDevice device; // null for an empty slot
    private final GuestMemory memory;
    private final IrqLine irq;
    private final GuestLog log;
    private final String name;
    private final Virtqueue[] queues;
    private final int[] queueAlign; // legacy QueueAlign per queue
    private final long offered;
    private final Context context = new Context();

    private int status;
    private long driverFeatures;
    private int deviceFeaturesSel;
    private int driverFeaturesSel;
    private int guestPageSize;
    private int queueSel;
    private int interruptStatus;
    private int configGeneration;
    private long internalErrors;

    /**
     * A transport for {@code device} at {@code base}.
     *
     * @param version 2 (modern) or 1 (legacy)
     * @param memory  guest physical memory the device DMAs into
     * @param irq     the slot's interrupt line (SPI 16 + slot on virt)
     */
    public VirtioMmioTransport(long base, int version, VirtioDevice device, GuestMemory memory, IrqLine irq, GuestLog log) {
        if (version != 1 && version != 2) {
            throw new IllegalArgumentException("virtio-mmio version must be 1 (legacy) or 2 (modern): " + version);
        }
        this.base = base;
        this.version = version;
        this.device = device;
        this.memory = memory;
        this.irq = Objects.requireNonNull(irq, "irq");
        this.log = Objects.requireNonNull(log, "log");
        if (device != null) {
            Objects.requireNonNull(memory, "memory");
            this.name = device.name() + "@" + Long.toHexString(base);
            int n = device.queueCount();
            this.queues = new Virtqueue[n];
            for (int i = 0; i < n; i++) {
                queues[i] = new Virtqueue(i, device.queueMaxSize(i));
            }
            long transportFeatures = bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX)
                    | (version == 2 ? bit(F_VERSION_1) : 0);
            long deviceOnly = device.deviceFeatures() & ~(bit(F_VERSION_1) | bit(F_RING_INDIRECT_DESC) | bit(F_RING_EVENT_IDX));
            this.offered = deviceOnly | transportFeatures;
        } else {
            this.name = "virtio-mmio@" + Long.toHexString(base);
            this.queues = new Virtqueue[0];
            this.offered = 0;
        }
        this.queueAlign = new int[queues.length];
        if (device != null) {
            device.attach(context);
        }
        reset();
    }

    /** An empty slot at {@code base}: DeviceID 0, as QEMU's virtio-mmio without a backend. */
    public static VirtioMmioTransport empty(long base, int version, GuestLog log) {
        return new VirtioMmioTransport(base, version, null, null, IrqLine.NONE, log);
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
        return SIZE;
    }

    public int version() {
        return version;
    }

    public VirtioDevice device() {
        return device;
    }

    public int status() {
        return status;
    }

    public int interruptStatus() {
        return interruptStatus;
    }

    /** Features offered to the driver (device bits plus the transport's). */
    public long offeredFeatures() {
        return offered;
    }

    public long driverFeatures() {
        return driverFeatures;
    }

    public Virtqueue queue(int i) {
        return queues[i];
    }

    @Override
    public void reset() {
        status = 0;
        driverFeatures = 0;
        deviceFeaturesSel = 0;
        driverFeaturesSel = 0;
        guestPageSize = 4096;
        queueSel = 0;
        interruptStatus = 0;
        for (int i = 0; i < queues.length; i++) {
            queues[i].reset();
            queueAlign[i] = 4096;
        }
        if (device != null) {
            device.reset();
        }
        updateIrq();
    }

    private void updateIrq() {
        irq.set(interruptStatus != 0);
    }

    private void guestError(String message) {
        log.error(name, message);
    }

    private static String reg(long offset) {
        return String.format("0x%03x", offset);
    }

    /** The queue QueueSel names, or null if it names none. */
    private Virtqueue selectedQueue() {
        return queueSel >= 0 && queueSel < queues.length ? queues[queueSel] : null;
    }

    // ---------------------------------------------------------------- reads

    @Override
    public long read(long offset, int size) {
        try {
            return doRead(offset, size);
        } catch (RuntimeException e) {
            internalError("read " + reg(offset), e);
            return 0;
        }
    }

    private long doRead(long offset, int size) {
        if (offset < 0 || offset >= SIZE) {
            guestError("read of bad offset " + reg(offset));
            return 0;
        }
        if (offset >= CONFIG) {
            return readConfig((int) (offset - CONFIG), size);
        }
        if (size != 4 || (offset & 3) != 0) {
            guestError("bad access width: read of " + reg(offset) + " size " + size + " (registers are 32-bit)");
            return 0;
        }
        if (device == null) {
            return switch ((int) offset) {
                case MAGIC_VALUE -> MAGIC;
                case VERSION -> version;
                case VENDOR_ID -> VENDOR_QEMU;
                default -> 0; // DeviceID 0: no device here
            };
        }
        Virtqueue q = selectedQueue();
        return switch ((int) offset) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> version;
            case DEVICE_ID -> device.deviceId();
            case VENDOR_ID -> VENDOR_QEMU;
            case DEVICE_FEATURES -> deviceFeaturesSel == 0 ? offered & 0xffff_ffffL
                    : deviceFeaturesSel == 1 ? offered >>> 32 : 0;
            case QUEUE_NUM_MAX -> q == null ? 0 : q.maxSize();
            case QUEUE_PFN -> {
                if (version != 1) {
                    yield legacyOnly("read", offset);
                }
                yield q == null || !q.ready() ? 0 : (q.descAddr() / guestPageSize) & 0xffff_ffffL;
            }
            case QUEUE_READY -> {
                if (version == 1) {
                    yield modernOnly("read", offset);
                }
                yield q != null && q.ready() ? 1 : 0;
            }
            case INTERRUPT_STATUS -> interruptStatus;
            case STATUS -> status;
            case CONFIG_GENERATION -> {
                if (version == 1) {
                    yield modernOnly("read", offset);
                }
                yield configGeneration;
            }
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                 QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH -> {
                if (version == 1) {
                    yield modernOnly("read", offset);
                }
                if (q == null) {
                    yield 0;
                }
                long a = switch ((int) offset & ~7) {
                    case QUEUE_DESC_LOW -> q.descAddr();
                    case QUEUE_DRIVER_LOW -> q.availAddr();
                    default -> q.usedAddr();
                };
                yield (offset & 4) == 0 ? a & 0xffff_ffffL : a >>> 32;
            }
            case DEVICE_FEATURES_SEL, DRIVER_FEATURES, DRIVER_FEATURES_SEL, GUEST_PAGE_SIZE, QUEUE_SEL,
                 QUEUE_NUM, QUEUE_ALIGN, QUEUE_NOTIFY, INTERRUPT_ACK -> {
                guestError("read of write-only register " + reg(offset));
                yield 0;
            }
            default -> {
                guestError("read of bad offset " + reg(offset));
                yield 0;
            }
        };
    }

    private long legacyOnly(String what, long offset) {
        guestError(what + " of legacy-only register " + reg(offset) + " in a version " + version + " transport");
        return 0;
    }

    private long modernOnly(String what, long offset) {
        guestError(what + " of modern-only register " + reg(offset) + " in a legacy (version 1) transport");
        return 0;
    }

    private boolean configAccessOk(String what, int off, int size) {
        if (device == null) {
            return false;
        }
        if ((size != 1 && size != 2 && size != 4) || (off & (size - 1)) != 0) {
            guestError(String.format("bad access width: config %s at 0x%x size %d", what, off, size));
            return false;
        }
        return true;
    }

    private long readConfig(int off, int size) {
        if (!configAccessOk("read", off, size)) {
            return 0;
        }
        byte[] cfg = device.config();
        if (off + size > cfg.length) {
            guestError(String.format("config read at 0x%x size %d beyond config space of %d bytes", off, size, cfg.length));
            return 0;
        }
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = (v << 8) | (cfg[off + i] & 0xff);
        }
        return v;
    }

    // --------------------------------------------------------------- writes

    @Override
    public void write(long offset, int size, long value) {
        try {
            doWrite(offset, size, value);
        } catch (RuntimeException e) {
            internalError("write " + reg(offset), e);
        }
    }

    private void doWrite(long offset, int size, long value) {
        if (offset < 0 || offset >= SIZE) {
            guestError("write to bad offset " + reg(offset));
            return;
        }
        if (offset >= CONFIG) {
            int off = (int) (offset - CONFIG);
            if (configAccessOk("write", off, size)) {
                device.writeConfig(context, off, size, value);
            }
            return;
        }
        if (size != 4 || (offset & 3) != 0) {
            guestError("bad access width: write to " + reg(offset) + " size " + size + " (registers are 32-bit)");
            return;
        }
        if (device == null) {
            guestError("write to " + reg(offset) + " of an empty slot");
            return;
        }
        int v = (int) value;
        Virtqueue q = selectedQueue();
        switch ((int) offset) {
            case MAGIC_VALUE, VERSION, DEVICE_ID, VENDOR_ID, DEVICE_FEATURES, QUEUE_NUM_MAX, INTERRUPT_STATUS,
                 CONFIG_GENERATION -> guestError("write to read-only register " + reg(offset));
            case DEVICE_FEATURES_SEL -> deviceFeaturesSel = v;
            case DRIVER_FEATURES_SEL -> driverFeaturesSel = v;
            case DRIVER_FEATURES -> {
                if ((status & STATUS_FEATURES_OK) != 0 || (status & STATUS_DRIVER_OK) != 0) {
                    guestError("DriverFeatures written after FEATURES_OK/DRIVER_OK; ignored");
                } else if (driverFeaturesSel == 0) {
                    driverFeatures = (driverFeatures & 0xffff_ffff_0000_0000L) | Integer.toUnsignedLong(v);
                } else if (driverFeaturesSel == 1) {
                    driverFeatures = (driverFeatures & 0xffff_ffffL) | (Integer.toUnsignedLong(v) << 32);
                } else if (v != 0) {
                    guestError("DriverFeatures window " + driverFeaturesSel + " written with 0x" + Integer.toHexString(v));
                }
            }
            case GUEST_PAGE_SIZE -> {
                if (version != 1) {
                    legacyOnly("write", offset);
                } else if (v <= 0 || Integer.bitCount(v) != 1) {
                    guestError("GuestPageSize " + Integer.toUnsignedString(v) + " is not a power of two; ignored");
                } else {
                    guestPageSize = v;
                }
            }
            case QUEUE_SEL -> queueSel = v < 0 || v >= queues.length ? Integer.MAX_VALUE : v;
            case QUEUE_NUM -> {
                if (checkQueueWritable(q, offset)) {
                    if (v < 0 || v > Virtqueue.MAX_SIZE) {
                        guestError("QueueNum " + Integer.toUnsignedString(v) + " out of range");
                        q.size = 0;
                    } else {
                        q.size = v;
                    }
                    if (version == 1 && q.ready()) {
                        legacyLayout(q, q.descAddr());
                    }
                }
            }
            case QUEUE_ALIGN -> {
                if (version != 1) {
                    legacyOnly("write", offset);
                } else if (q == null) {
                    guestError("QueueAlign for unselected queue");
                } else if (v <= 0 || Integer.bitCount(v) != 1) {
                    guestError("QueueAlign " + Integer.toUnsignedString(v) + " is not a power of two; ignored");
                } else {
                    queueAlign[q.index()] = v;
                    if (q.ready()) {
                        legacyLayout(q, q.descAddr());
                    }
                }
            }
            case QUEUE_PFN -> {
                if (version != 1) {
                    legacyOnly("write", offset);
                } else if (q == null) {
                    guestError("QueuePFN for queue " + queueSel + " which does not exist");
                } else if (v == 0) {
                    q.ready = false;
                } else {
                    legacyLayout(q, Integer.toUnsignedLong(v) * guestPageSize);
                }
            }
            case QUEUE_READY -> {
                if (version == 1) {
                    modernOnly("write", offset);
                } else if (q == null) {
                    guestError("QueueReady for queue " + queueSel + " which does not exist");
                } else if ((v & 1) == 0) {
                    q.ready = false;
                } else if (!q.ready()) {
                    enable(q);
                }
            }
            case QUEUE_DESC_LOW, QUEUE_DESC_HIGH, QUEUE_DRIVER_LOW, QUEUE_DRIVER_HIGH,
                 QUEUE_DEVICE_LOW, QUEUE_DEVICE_HIGH -> {
                if (version == 1) {
                    modernOnly("write", offset);
                } else if (checkQueueWritable(q, offset)) {
                    long low = Integer.toUnsignedLong(v);
                    boolean high = (offset & 4) != 0;
                    switch ((int) offset & ~7) {
                        case QUEUE_DESC_LOW -> q.desc = high ? (q.desc & 0xffff_ffffL) | (low << 32) : (q.desc & ~0xffff_ffffL) | low;
                        case QUEUE_DRIVER_LOW -> q.avail = high ? (q.avail & 0xffff_ffffL) | (low << 32) : (q.avail & ~0xffff_ffffL) | low;
                        default -> q.used = high ? (q.used & 0xffff_ffffL) | (low << 32) : (q.used & ~0xffff_ffffL) | low;
                    }
                }
            }
            case QUEUE_NOTIFY -> notifyQueue(Integer.toUnsignedLong(v));
            case INTERRUPT_ACK -> {
                interruptStatus &= ~v;
                updateIrq();
            }
            case STATUS -> writeStatus(v);
            default -> guestError("write to bad offset " + reg(offset));
        }
    }

    /** Queue registers may only change while the queue is not live (modern: QueueReady 0). */
    private boolean checkQueueWritable(Virtqueue q, long offset) {
        if (q == null) {
            guestError("write to " + reg(offset) + " for queue " + (queueSel == Integer.MAX_VALUE ? "(invalid)" : queueSel)
                    + " which does not exist");
            return false;
        }
        if (version == 2 && q.ready()) {
            guestError("write to " + reg(offset) + " while queue " + q.index() + " is ready; ignored");
            return false;
        }
        return true;
    }

    /** Legacy layout from QueuePFN (4.2.4 / 2.7): table, then avail, then used at the next QueueAlign boundary. */
    private void legacyLayout(Virtqueue q, long descAddr) {
        long align = queueAlign[q.index()];
        long availEnd = descAddr + 16L * q.size() + 6 + 2L * q.size();
        q.desc = descAddr;
        q.avail = descAddr + 16L * q.size();
        q.used = (availEnd + align - 1) & -align;
        q.ready = false;
        enable(q);
    }

    private void enable(Virtqueue q) {
        try {
            q.validate(memory);
            q.eventIdx = has(driverFeatures, F_RING_EVENT_IDX);
            q.indirect = has(driverFeatures, F_RING_INDIRECT_DESC);
            q.ready = true;
        } catch (VirtioException e) {
            context.fail(e.getMessage());
        }
    }

    private void notifyQueue(long value) {
        // No VIRTIO_F_NOTIFICATION_DATA: the whole value is the queue index.
        if (value >= queues.length || !queues[(int) value].ready()) {
            guestError("notification for queue " + value + " which was never set up; ignored");
            return;
        }
        int index = (int) value;
        if ((status & (STATUS_DEVICE_NEEDS_RESET | STATUS_FAILED)) != 0) {
            guestError("notification for queue " + index + " while the device needs reset; ignored");
            return;
        }
        if ((status & STATUS_DRIVER_OK) == 0) {
            guestError("notification for queue " + index + " before DRIVER_OK; ignored");
            return;
        }
        try {
            device.notify(index);
        } catch (VirtioException | GuestMemoryException e) {
            context.fail(e.getMessage());
        }
    }

    private void writeStatus(int v) {
        if (v == 0) {
            reset();
            return;
        }
        if ((v & ~STATUS_KNOWN) != 0) {
            guestError("Status 0x" + Integer.toHexString(v) + " has unknown bits");
        }
        int old = status;
        int next = (v & STATUS_KNOWN & ~STATUS_DEVICE_NEEDS_RESET) | (old & STATUS_DEVICE_NEEDS_RESET);
        if ((old & ~next & ~STATUS_DEVICE_NEEDS_RESET) != 0) {
            guestError(String.format("Status write 0x%x clears bits of 0x%x without a reset", v, old));
        }
        if ((next & STATUS_FEATURES_OK) != 0 && (old & STATUS_FEATURES_OK) == 0) {
            if (version == 1) {
                guestError("FEATURES_OK written to a legacy transport");
            }
            long extra = driverFeatures & ~offered;
            if (extra != 0) {
                guestError(String.format("driver accepted features 0x%x that were not offered; FEATURES_OK refused", extra));
                next &= ~STATUS_FEATURES_OK;
            } else if (version == 2 && !has(driverFeatures, F_VERSION_1)) {
                guestError("driver did not accept VIRTIO_F_VERSION_1 on a modern transport; FEATURES_OK refused");
                next &= ~STATUS_FEATURES_OK;
            }
        }
        if ((next & STATUS_DRIVER_OK) != 0 && (old & STATUS_DRIVER_OK) == 0) {
            if (version == 2 && (next & STATUS_FEATURES_OK) == 0) {
                guestError("DRIVER_OK without FEATURES_OK; device not activated");
                next &= ~STATUS_DRIVER_OK;
            } else {
                if (version == 1 && (driverFeatures & ~offered) != 0) {
                    guestError(String.format("legacy driver accepted features 0x%x that were not offered; masked",
                            driverFeatures & ~offered));
                    driverFeatures &= offered;
                }
                status = next;
                for (Virtqueue q : queues) {
                    q.eventIdx = has(driverFeatures, F_RING_EVENT_IDX);
                    q.indirect = has(driverFeatures, F_RING_INDIRECT_DESC);
                }
                try {
                    device.activate();
                } catch (VirtioException | GuestMemoryException e) {
                    context.fail(e.getMessage());
                }
                return;
            }
        }
        status = next;
    }

    /** Exceptions caught at the MMIO boundary that were not guest errors (bugs on our side); 0 in a healthy run. */
    public long internalErrors() {
        return internalErrors;
    }

    private void internalError(String what, RuntimeException e) {
        internalErrors++;
        // A bug on our side must not take the host down either: treat it like a broken device.
        guestError("internal error during " + what + ": " + e);
        if (device != null) {
            context.fail("device stopped after internal error: " + e);
        }
    }

    // ------------------------------------------------------------- snapshot

    public State save() {
        List<Virtqueue.State> qs = new ArrayList<>();
        List<Integer> aligns = new ArrayList<>();
        for (int i = 0; i < queues.length; i++) {
            qs.add(queues[i].save());
            aligns.add(queueAlign[i]);
        }
        return new State(version, device == null ? 0 : device.deviceId(), status, driverFeatures, deviceFeaturesSel,
                driverFeaturesSel, guestPageSize, queueSel, interruptStatus, configGeneration, aligns, qs,
                device == null ? null : device.save());
    }

    /** Restores a {@link #save()}d state; throws {@link IllegalArgumentException} (changing nothing) if it does not fit. */
    public void restore(State s) {
        Objects.requireNonNull(s, "state");
        if (s != checked) {
            check(s);
            checked = s; // states are immutable and RAM's bounds fixed: a fuzz restore checks once
        }
        if (device != null) {
            device.restore(s.device()); // validates before it changes anything; the last check that may fail
        }
        for (int i = 0; i < queues.length; i++) {
            queues[i].restoreChecked(s.queues().get(i));
            queues[i].eventIdx = has(s.driverFeatures(), F_RING_EVENT_IDX);
            queues[i].indirect = has(s.driverFeatures(), F_RING_INDIRECT_DESC);
            queueAlign[i] = s.queueAlign().get(i);
        }
        status = s.status();
        driverFeatures = s.driverFeatures();
        deviceFeaturesSel = s.deviceFeaturesSel();
        driverFeaturesSel = s.driverFeaturesSel();
        guestPageSize = s.guestPageSize();
        queueSel = s.queueSel();
        interruptStatus = s.interruptStatus();
        configGeneration = s.configGeneration();
        updateIrq();
    }

    /** The last state {@link #check}ed. */
    private State checked;

    /** Throws {@link IllegalArgumentException} when {@code s} does not fit this transport and RAM. */
    private void check(State s) {
        int id = device == null ? 0 : device.deviceId();
        if (s.version() != version || s.deviceId() != id) {
            throw new IllegalArgumentException(String.format("snapshot is version %d device %d, transport is version %d device %d",
                    s.version(), s.deviceId(), version, id));
        }
        if ((s.status() & ~STATUS_KNOWN) != 0 || (s.interruptStatus() & ~(INT_USED_BUFFER | INT_CONFIG_CHANGE)) != 0) {
            throw new IllegalArgumentException("snapshot has unknown status or interrupt bits");
        }
        if ((s.driverFeatures() & ~offered) != 0) {
            throw new IllegalArgumentException(String.format("snapshot features 0x%x not offered by this device", s.driverFeatures()));
        }
        if (s.guestPageSize() <= 0 || Integer.bitCount(s.guestPageSize()) != 1) {
            throw new IllegalArgumentException("snapshot GuestPageSize " + s.guestPageSize());
        }
        if (s.queues().size() != queues.length || s.queueAlign().size() != queues.length) {
            throw new IllegalArgumentException("snapshot has " + s.queues().size() + " queues, device has " + queues.length);
        }
        for (int a : s.queueAlign()) {
            if (a <= 0 || Integer.bitCount(a) != 1) {
                throw new IllegalArgumentException("snapshot QueueAlign " + a);
            }
        }
        // Validate every queue on a scratch copy before touching live state.
        for (int i = 0; i < queues.length; i++) {
            new Virtqueue(i, queues[i].maxSize()).restore(s.queues().get(i), memory);
        }
    }

    // -------------------------------------------------------------- context

    private final class Context implements VirtioContext {
        @Override
        public GuestMemory memory() {
            return memory;
        }

        @Override
        public Virtqueue queue(int index) {
            return queues[index];
        }

        @Override
        public long features() {
            return driverFeatures;
        }

        @Override
        public boolean live() {
            return (status & STATUS_DRIVER_OK) != 0 && (status & (STATUS_DEVICE_NEEDS_RESET | STATUS_FAILED)) == 0;
        }

        @Override
        public void usedBuffers(Virtqueue queue) {
            if (queue.needsInterrupt(memory)) {
                interruptStatus |= INT_USED_BUFFER;
                updateIrq();
            }
        }

        @Override
        public void configChanged() {
            configGeneration++;
            if ((status & STATUS_DRIVER_OK) != 0) {
                interruptStatus |= INT_CONFIG_CHANGE;
                updateIrq();
            }
        }

        @Override
        public void log(String message) {
            guestError(message);
        }

        @Override
        public void fail(String message) {
            guestError(message);
            if ((status & STATUS_DEVICE_NEEDS_RESET) == 0) {
                status |= STATUS_DEVICE_NEEDS_RESET;
                if ((status & STATUS_DRIVER_OK) != 0) { // 2.1.2: notify only a live driver
                    interruptStatus |= INT_CONFIG_CHANGE;
                    updateIrq();
                }
            }
        }
    }
}
