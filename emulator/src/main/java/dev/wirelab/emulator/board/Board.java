package dev.wirelab.emulator.board;

import dev.wirelab.emulator.cpu.ExceptionDelivery;
import dev.wirelab.emulator.cpu.ExceptionEngine;
import dev.wirelab.emulator.cpu.InstructionCounter;
import dev.wirelab.emulator.cpu.Reg;
import dev.wirelab.emulator.cpu.Insn;
import dev.wirelab.emulator.cpu.SysRegBus;
import dev.wirelab.emulator.cpu.SysRegHandler;
import dev.wirelab.emulator.cpu.SysRegId;
import dev.wirelab.emulator.device.CfiFlash;
import dev.wirelab.emulator.device.Console;
import dev.wirelab.emulator.device.GuestLog;
import dev.wirelab.emulator.device.IrqLine;
import dev.wirelab.emulator.device.MmioDevice;
import dev.wirelab.emulator.device.Pl011;
import dev.wirelab.emulator.device.Pl031;
import dev.wirelab.emulator.device.gic.GicV2;
import dev.wirelab.emulator.device.gic.GicV3;
import dev.wirelab.emulator.device.gic.InterruptController;
import dev.wirelab.emulator.device.timer.GenericTimer;
import dev.wirelab.emulator.device.virtio.SegmentGuestMemory;
import dev.wirelab.emulator.device.virtio.VirtioMmioTransport;
import dev.wirelab.emulator.device.virtio.VirtioBlk;
import dev.wirelab.emulator.device.virtio.VirtioNet;
import dev.wirelab.emulator.device.virtio.VirtioRng;
import dev.wirelab.emulator.time.EventQueue;
import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.emulator.unicorn.Arm64Reg;
import dev.wirelab.emulator.unicorn.Callbacks;
import dev.wirelab.emulator.unicorn.HostMemory;
import dev.wirelab.emulator.unicorn.Unicorn;
import dev.wirelab.emulator.unicorn.UnicornException;

import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.ElfImage;
import dev.wirelab.emulator.boot.LoadPlan;
import dev.wirelab.emulator.boot.LoadPlanner;
import dev.wirelab.emulator.boot.MemoryLayout;
import dev.wirelab.emulator.boot.SymbolTable;
import dev.wirelab.emulator.fdt.VirtDeviceTree;
import dev.wirelab.emulator.fdt.VirtTreeParams;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * The virt-like machine: one AArch64 CPU (Unicorn), RAM, flash, devices, the
 * virtual clock and the event queue, and the run loop that ties them together.
 *
 * <p>The run loop is where determinism is made. Time advances only with retired
 * instructions (counted exactly by {@link InstructionCounter}) or by idle
 * fast-forward when the guest waits in WFI. Host events fire at exact virtual
 * instants: every slice is count-limited to the next deadline.
 */
public final class Board implements AutoCloseable {
    // QEMU's exception numbers as Unicorn reports them to UC_HOOK_INTR.
    static final int EXCP_UDEF = 1;
    static final int EXCP_SWI = 2;
    static final int EXCP_PREFETCH_ABORT = 3;
    static final int EXCP_DATA_ABORT = 4;
    static final int EXCP_BKPT = 7;
    static final int EXCP_HVC = 11;
    static final int EXCP_SMC = 13;

    /** PSTATE at reset: EL1h, all of DAIF masked (what QEMU gives a kernel). */
    static final long PSTATE_EL1H_MASKED = 0x3c5;

    /** Sees every SVC before the guest kernel does; returns true when it consumed the call (lab calls). */
    @FunctionalInterface
    public interface SvcInterceptor {
        boolean onSvc(Board board, int imm16, long pcAfter);
    }

    private final BoardConfig config;
    private final Unicorn uc;
    private final MemorySegment ram;
    private final MemorySegment flash;
    private final VirtualClock clock = new VirtualClock();
    private final EventQueue events = new EventQueue();
    private final GuestLog guestLog = new GuestLog(this::syncClockQuietly); // exact even from device callbacks
    private final Console console = new Console();
    private final TraceHash trace = new TraceHash();
    private final InstructionCounter counter = new InstructionCounter();
    private final ResidencyWatch residency = new ResidencyWatch();
    private DirtyRam dirtyRam;
    /** The guest (or the host) wrote a translation-regime register since the last snapshot or restore. */
    private boolean translationWritten = true;
    /** The native MRS/MSR filters (null: Java hooks see every move). */
    private dev.wirelab.emulator.unicorn.SysInsnFilter mrsFilter;
    private dev.wirelab.emulator.unicorn.SysInsnFilter msrFilter;
    private final SysRegBus sysRegs = new SysRegBus();
    private final Psci psci = new Psci(guestLog);
    private final Semihosting semihosting;
    private final Pl011 uart;
    private final InterruptController gic;
    private final GenericTimer timer;
    private final Pl031 rtc;
    private final ExceptionDelivery delivery;
    private final Executor executor;
    private final HostStateRegisters hostState;
    private final VirtioNet nic;
    private VirtioBlk disk;
    private final FlashWiring flashBanks;
    private final List<java.util.function.Consumer<byte[]>> frameListeners = new ArrayList<>();
    private final List<java.util.function.IntConsumer> consoleListeners = new ArrayList<>();
    /** Iterated at every svc: copy-on-write, so the loop needs no copy (an interceptor may remove itself). */
    private final List<SvcInterceptor> svcInterceptors = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Snapshottable<?>> extensions = new ArrayList<>();
    private final List<MmioDevice> devices = new ArrayList<>();
    private final java.util.Map<Long, MmioPage> sharedPages = new java.util.HashMap<>();
    private final Semihosting.GuestMemory virtualMemory = new Semihosting.GuestMemory() {
        @Override
        public byte[] read(long address, int length) {
            return readVirtual(address, length);
        }

        @Override
        public void write(long address, byte[] data) {
            writeVirtual(address, data);
        }
    };

    private SymbolTable symbols = SymbolTable.empty();
    private LongFunction<String> symbolizer = a -> null;
    private boolean closed;

    private Board(BoardConfig config) {
        this.config = config;
        this.semihosting = new Semihosting(console, clock, config.rtcEpoch(), guestLog);
        this.uc = new Unicorn(config.cpuMax() ? Unicorn.CPU_ARM64_MAX : Unicorn.CPU_ARM64_A72);
        try {
            ram = HostMemory.map(config.ramSize());
            uc.mapHostMemory(VirtMemoryMap.RAM_BASE, ram, Unicorn.PROT_ALL);
            flash = HostMemory.map(VirtMemoryMap.FLASH_SIZE);
            delivery = new ExceptionDelivery(uc, counter, this::describe, pa -> {
                MemorySegment m = backing(pa, 8);
                return m == null ? 0 : m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            });
            // 256 SPIs as on QEMU virt (NUM_IRQS): GICD_TYPER then reads as it does there.
            gic = config.gicVersion() == 3
                    ? new GicV3(VirtMemoryMap.GIC_DIST_BASE, VirtMemoryMap.GIC_REDIST_BASE, VIRT_SPIS, guestLog)
                    : new GicV2(VirtMemoryMap.GIC_DIST_BASE, VirtMemoryMap.GIC_CPU_BASE, VIRT_SPIS, guestLog);
            for (MmioDevice d : gic.mmioDevices()) {
                attach(d);
            }
            sysRegs.add(gic);
            executor = new Executor(uc, counter, clock, events, gic, delivery, console, trace, this::describe,
                    this::symbolAddress);
            timer = new GenericTimer(clock, events, gic.line(VirtMemoryMap.PPI_VIRT_TIMER),
                    gic.line(VirtMemoryMap.PPI_NONSECURE_PHYS_TIMER), guestLog);
            sysRegs.add(timer);
            hostState = new HostStateRegisters(clock, () -> uc.readSysReg(3, 0, 0, 5, 0), config.rngSeed());
            sysRegs.add(hostState);
            uart = new Pl011(VirtMemoryMap.UART_BASE, console, gic.line(VirtMemoryMap.spiIntid(VirtMemoryMap.UART_SPI)),
                    guestLog);
            attach(uart);
            rtc = new Pl031(VirtMemoryMap.RTC_BASE, clock, events, gic.line(VirtMemoryMap.spiIntid(VirtMemoryMap.RTC_SPI)),
                    guestLog, config.rtcEpoch());
            attach(rtc);
            flashBanks = new FlashWiring(uc, flash, config.flash(), guestLog, new CfiFlash.Listener() {
                @Override
                public void modified(long address, int length) {
                    trace.record('W', executor.syncClockQuietly(), address << 8 | length);
                }

                @Override
                public void romModeChanged(boolean rom) {
                    executor.kick(); // remapped at the next slice
                }
            });
            executor.romDevices(flashBanks);
            addSnapshottable(Snapshottable.of(flashBanks::save, flashBanks::restore));
            nic = new VirtioNet(DEFAULT_MAC.clone(), this::guestTransmitted);
            attachVirtio(config, guestMemory());
            console.onWrite(b -> {
                trace.record('C', executor.syncClockQuietly(), b);
                for (var l : List.copyOf(consoleListeners)) {
                    l.accept(b);
                }
                executor.watchPanic(b);
                executor.consoleByte(b);
            });
            uc.disableUntilAddress();
            installHooks();
            resetCpu(0, 0);
        } catch (RuntimeException e) {
            uc.close();
            throw e;
        }
    }

    static final int VIRT_SPIS = 256;

    /** QEMU's default NIC address (52:54:00:12:34:56). */
    public static final byte[] DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
    /**
     * QEMU fills virtio-mmio transports from the top: the first {@code -device virtio-*-device} on its
     * command line gets slot 31, the next slot 30, and so on. These are the slots of
     * {@code -device virtio-net-device -device virtio-rng-device -device virtio-blk-device}.
     */
    static final int NET_SLOT = VirtMemoryMap.VIRTIO_SLOTS - 1;
    static final int RNG_SLOT = VirtMemoryMap.VIRTIO_SLOTS - 2;
    static final int BLK_SLOT = VirtMemoryMap.VIRTIO_SLOTS - 3;

    /**
     * virtio-net in slot 31, virtio-rng in slot 30, virtio-blk in slot 29 when a disk is configured
     * (where QEMU puts them, see {@link #NET_SLOT}), the rest empty.
     */
    private void attachVirtio(BoardConfig config, SegmentGuestMemory memory) {
        VirtioRng rng = new VirtioRng(config.rngSeed());
        VirtioBlk blk = config.disk() == null ? null : openDisk(config);
        for (int slot = 0; slot < VirtMemoryMap.VIRTIO_SLOTS; slot++) {
            IrqLine irq = gic.line(VirtMemoryMap.spiIntid(VirtMemoryMap.VIRTIO_SPI_BASE + slot));
            long base = VirtMemoryMap.virtioSlotBase(slot);
            VirtioMmioTransport t = switch (slot) {
                case NET_SLOT -> new VirtioMmioTransport(base, config.virtioVersion(), nic, memory, irq, guestLog);
                case RNG_SLOT -> new VirtioMmioTransport(base, config.virtioVersion(), rng, memory, irq, guestLog);
                case BLK_SLOT -> blk == null ? VirtioMmioTransport.empty(base, config.virtioVersion(), guestLog)
                        : new VirtioMmioTransport(base, config.virtioVersion(), blk, memory, irq, guestLog);
                default -> VirtioMmioTransport.empty(base, config.virtioVersion(), guestLog);
            };
            attach(t);
            addSnapshottable(Snapshottable.of(t::save, t::restore));
        }
        addSnapshottable(Snapshottable.of(() -> new VirtioBackends(nic.save(), rng.save(), blk == null ? null : blk.save()),
                s -> {
                    nic.restore(s.nic());
                    rng.restore(s.rng());
                    if (blk != null) {
                        blk.restore(s.blk()); // counters only: a writable image's contents are the user's
                    }
                }));
    }

    /** The virtio back ends' own state (the transports save theirs). */
    private record VirtioBackends(VirtioNet.State nic, VirtioRng.State rng, VirtioBlk.State blk) { }

    private VirtioBlk openDisk(BoardConfig config) {
        try {
            disk = VirtioBlk.open(config.disk(), config.diskWritable());
            return disk;
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("cannot open disk image " + config.disk() + ": " + e.getMessage()
                    + " (give a readable raw image file)");
        }
    }

    private SegmentGuestMemory guestMemory() {
        return new SegmentGuestMemory(ram, VirtMemoryMap.RAM_BASE);
    }

    /** A frame the guest sent on its NIC: into the trace, then to whoever listens on the wire. */
    private long syncClockQuietly() {
        return executor.syncClockQuietly();
    }

    private void guestTransmitted(byte[] frame) {
        executor.syncClock();
        trace.record('F', clock.instructions(), frame);
        for (var l : List.copyOf(frameListeners)) {
            l.accept(frame);
        }
        executor.hostEvent();
    }

    /**
     * Registers a listener for every byte the guest writes to its console, told
     * at the instruction that wrote it (a script's console conditions); returns its remover.
     */
    public Runnable onConsoleByte(java.util.function.IntConsumer listener) {
        consoleListeners.add(listener);
        return () -> consoleListeners.remove(listener);
    }

    /**
     * The guest NIC's one door, for the virtual wire that joins it: every frame the guest sends goes
     * to {@code fromGuest} (inside the emulation, at the instruction that sent it), and the returned
     * port hands frames to the NIC. Everything else on the wire (peers, replays, captures) goes
     * through the wire, so a board has one door: a second attach fails.
     */
    public NicPort attachNic(java.util.function.Consumer<byte[]> fromGuest) {
        if (!frameListeners.isEmpty()) {
            throw new IllegalStateException("the NIC already has its door: one virtual wire per board");
        }
        frameListeners.add(java.util.Objects.requireNonNull(fromGuest, "fromGuest"));
        return this::injectFrame;
    }

    /** Feeds the guest's NIC; only the wire that {@link #attachNic attached} holds one. */
    @FunctionalInterface
    public interface NicPort {
        /**
         * Hands {@code frame} to the NIC now (an instruction boundary: between runs or from an
         * event). False when the guest had no receive buffer for it (the frame is dropped, as on a
         * real wire).
         */
        boolean deliver(byte[] frame);
    }

    private boolean injectFrame(byte[] frame) {
        boolean delivered = nic.deliver(frame);
        if (delivered) {
            trace.record('R', clock.instructions(), frame); // a refused frame never reached the guest
        }
        return delivered;
    }

    public VirtioNet nic() {
        return nic;
    }

    /** Builds a board with {@code config}: RAM, flash, devices; the CPU waits at address 0. */
    public static Board create(BoardConfig config) {
        return new Board(config);
    }

    public BoardConfig config() {
        return config;
    }

    public Console console() {
        return console;
    }

    public VirtualClock clock() {
        return clock;
    }

    public EventQueue events() {
        return events;
    }

    public GuestLog guestLog() {
        return guestLog;
    }

    public TraceHash trace() {
        return trace;
    }


    /** Host memory backing guest RAM (guest physical {@link VirtMemoryMap#RAM_BASE} is offset 0). */
    public MemorySegment ram() {
        return ram;
    }

    public List<MmioDevice> devices() {
        return List.copyOf(devices);
    }

    /** Adds a memory-mapped device to the board. */
    public void attach(MmioDevice device) {
        devices.add(device);
        if ((device.base() & (MmioPage.SIZE - 1)) != 0 || (device.size() & (MmioPage.SIZE - 1)) != 0) {
            long page = device.base() & -MmioPage.SIZE;
            if (device.base() + device.size() > page + MmioPage.SIZE) {
                throw new IllegalArgumentException(device.name() + " straddles a page boundary");
            }
            MmioPage window = sharedPages.get(page);
            if (window == null) {
                window = new MmioPage(page, guestLog);
                sharedPages.put(page, window);
                uc.mapMmio(page, MmioPage.SIZE, window);
            }
            window.add(device);
            return;
        }
        uc.mapMmio(device.base(), device.size(), window(device));
    }

    /** A device as Unicorn's MMIO callbacks see it. */
    static Callbacks.Mmio window(MmioDevice device) {
        return new Callbacks.Mmio() {
            @Override
            public long read(long offset, int size) {
                return device.read(offset, size);
            }

            @Override
            public void write(long offset, int size, long value) {
                device.write(offset, size, value);
            }
        };
    }

    public InterruptController interruptController() {
        return gic;
    }

    public GenericTimer timer() {
        return timer;
    }

    /**
     * Adds a hook that sees every SVC before the guest kernel does (the lab-call
     * agent protocol, syscall tracers). Hooks are asked in the order added; the
     * first that consumes the call ends the chain. Returns a handle that removes it.
     */
    public Runnable interceptSvc(SvcInterceptor interceptor) {
        svcInterceptors.add(interceptor);
        return () -> svcInterceptors.remove(interceptor);
    }

    private boolean svcConsumed(int imm, long pcAfter) {
        for (SvcInterceptor i : svcInterceptors) {
            if (i.onSvc(this, imm, pcAfter)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a system-register owner (generic timer, GICv3 CPU interface). */
    public void attach(SysRegHandler handler) {
        sysRegs.add(handler);
        refreshSysFilters();
    }

    /** How to name guest addresses in reports (the ELF symbol table when there is one). */
    public void symbolizer(LongFunction<String> s) {
        this.symbolizer = s;
    }

    // ---- loading --------------------------------------------------------

    /** The device tree this board describes to its guest (what {@link #load} places in memory). */
    public byte[] deviceTree() {
        return VirtDeviceTree.build(treeParams());
    }

    private VirtTreeParams treeParams() {
        return new VirtTreeParams(VirtMemoryMap.RAM_BASE, config.ramSize(), config.gicVersion(),
                config.psciMethod(), config.bootArgs(), virtioSlots(), false, config.cpuMax() ? "max" : "cortex-a72");
    }

    /** Slots the device tree lists: all of them, as QEMU does (empty slots read DeviceID 0). */
    private List<Integer> virtioSlots() {
        List<Integer> slots = new ArrayList<>();
        for (int i = 0; i < VirtMemoryMap.VIRTIO_SLOTS; i++) {
            slots.add(i);
        }
        return slots;
    }

    /**
     * Loads a boot image the way QEMU's virt machine does (kernel placement,
     * DTB placement, entry registers) and resets the CPU to its entry point.
     * Throws {@link dev.wirelab.emulator.boot.BadImageException} when the image does not fit this board.
     */
    public LoadPlan load(BootImage image) {
        MemoryLayout layout = MemoryLayout.virt(config.ramSize());
        byte[] initrd = config.initrd() == null ? null : InitrdFile.read(config.initrd());
        byte[] dtb = deviceTree();
        if (initrd != null && image instanceof dev.wirelab.emulator.boot.LinuxImage linux) {
            long start = LoadPlanner.initrdStart(linux, layout);
            dtb = VirtDeviceTree.build(treeParams().withInitrd(start, start + initrd.length));
        }
        LoadPlan plan = LoadPlanner.plan(image, layout, dtb, initrd);
        for (LoadPlan.Chunk c : plan.chunks()) {
            loadBytes(c.address(), c.data());
            if (c.zeroFillBytes() > 0) {
                MemorySegment z = backing(c.address() + c.data().length, c.zeroFillBytes());
                if (z == null) {
                    throw new IllegalArgumentException("zero-fill of " + c + " falls outside RAM and flash");
                }
                z.fill((byte) 0);
            }
        }
        symbols = image instanceof ElfImage elf ? elf.symbols() : SymbolTable.empty();
        symbolizer = symbols::describe;
        resetCpu(plan.entryPc(), plan.x0());
        return plan;
    }

    /** Symbols of the loaded ELF (empty for other formats). */
    public SymbolTable symbols() {
        return symbols;
    }

    /** Copies {@code data} to guest physical {@code address}, which must lie in RAM or flash. */
    public void loadBytes(long address, byte[] data) {
        MemorySegment target = backing(address, data.length);
        if (target == null) {
            throw new IllegalArgumentException(String.format(
                    "cannot load %d bytes at 0x%x: outside RAM [0x%x, 0x%x) and flash [0x0, 0x%x)", data.length, address,
                    VirtMemoryMap.RAM_BASE, VirtMemoryMap.RAM_BASE + config.ramSize(), VirtMemoryMap.FLASH_SIZE));
        }
        MemorySegment.copy(data, 0, target, ValueLayout.JAVA_BYTE, 0, data.length);
        uc.flushTranslations();
    }

    private MemorySegment backing(long address, long length) {
        long ramEnd = VirtMemoryMap.RAM_BASE + config.ramSize();
        if (address >= VirtMemoryMap.RAM_BASE && length <= ramEnd - address) {
            return ram.asSlice(address - VirtMemoryMap.RAM_BASE, length);
        }
        if (address >= 0 && address < VirtMemoryMap.FLASH_SIZE && length <= VirtMemoryMap.FLASH_SIZE - address) {
            return flash.asSlice(address, length);
        }
        return null;
    }

    /** Puts the CPU in its boot state: EL1h, interrupts masked, MMU off, PC = entry, x0 = {@code x0}. */
    public void resetCpu(long entry, long x0) {
        // SCR_EL3.RW: without it QEMU treats EL1 as AArch32 for eret and page walks (measured on Unicorn 2.1.4).
        long scr = uc.readSysReg(3, 6, 1, 1, 0);
        uc.writeSysReg(3, 6, 1, 1, 0, scr | (1L << 10));
        for (int n = 0; n <= 30; n++) {
            uc.writeReg(Arm64Reg.x(n), 0);
        }
        uc.writeReg(Arm64Reg.x(0), x0);
        uc.writeReg(Arm64Reg.PSTATE, PSTATE_EL1H_MASKED);
        uc.writeSysReg(3, 0, 12, 0, 0, 0); // VBAR_EL1; any CP_REG write also rebuilds hflags after PSTATE
        uc.writeReg(Arm64Reg.SP, 0);
        uc.writeReg(Arm64Reg.PC, entry);
        executor.cpuReset();
        translationWritten = true;
    }

    // ---- registers and memory for the host -------------------------------

    public long pc() {
        return uc.readReg(Arm64Reg.PC);
    }

    public long x(int n) {
        return uc.readReg(Arm64Reg.x(n));
    }

    public void setX(int n, long value) {
        uc.writeReg(Arm64Reg.x(n), value);
    }

    private dev.wirelab.emulator.unicorn.RegBatch xBatch;

    /** x0 .. x(count - 1) (count at most 31) read in one engine call (a lab call's or a syscall's arguments). */
    public long[] xs(int count) {
        if (xBatch == null) {
            xBatch = uc.batch(31);
        }
        xBatch.clear();
        for (int n = 0; n < count; n++) {
            xBatch.reg(Arm64Reg.x(n), 0);
        }
        xBatch.read();
        long[] v = new long[count];
        for (int n = 0; n < count; n++) {
            v[n] = xBatch.value(n);
        }
        return v;
    }

    /** Sets x0, x1, ... to {@code values} (at most 31) in one engine call (a lab call's answer). */
    public void setXs(long... values) {
        if (xBatch == null) {
            xBatch = uc.batch(31);
        }
        xBatch.clear();
        for (int n = 0; n < values.length; n++) {
            xBatch.reg(Arm64Reg.x(n), values[n]);
        }
        xBatch.write();
    }

    /** A CPU register by name (the engine's numbering stays inside the board). */
    public long reg(Reg r) {
        return uc.readReg(engineId(r));
    }

    public void setReg(Reg r, long value) {
        translationWritten = true; // conservative: a host register write keeps no TLB across the next restore
        uc.writeReg(engineId(r), value);
        if (r == Reg.PSTATE) {
            // A CP_REG write after PSTATE makes QEMU rebuild its cached EL/mask flags (measured on 2.1.4).
            uc.writeSysReg(3, 0, 12, 0, 0, uc.readSysReg(3, 0, 12, 0, 0));
        }
    }

    /** SIMD/FP register Vn (n 0..31) as its 16 little-endian bytes. */
    public byte[] vreg(int n) {
        return uc.readReg128(Arm64Reg.v(n));
    }

    public void setVreg(int n, byte[] value) {
        uc.writeReg128(Arm64Reg.v(n), value);
    }

    /** The physical address guest virtual address {@code va} maps to for a read now, or -1 when none. */
    public long translate(long va) {
        return uc.translate(va, Unicorn.PROT_READ);
    }

    /** True when [address, address+length) is RAM or flash (not a device window) in physical space. */
    public boolean isMemory(long address, long length) {
        long end = address + length;
        return length >= 0 && end >= address
                && ((address >= VirtMemoryMap.RAM_BASE && end <= VirtMemoryMap.RAM_BASE + ram.byteSize())
                || (address >= VirtMemoryMap.FLASH_BASE && end <= VirtMemoryMap.FLASH_BASE + flash.byteSize()));
    }

    /** Reads RAM or flash at a physical address (never a device window: see {@link #isMemory}). */
    public byte[] readPhysical(long address, int length) {
        if (!isMemory(address, length)) {
            throw new IllegalArgumentException(String.format("no RAM or flash at 0x%x..+%d", address, length));
        }
        // Flash straight from its storage: a bank in command mode is a device window, where a read is a command.
        return backing(address, length).toArray(ValueLayout.JAVA_BYTE);
    }

    /** Writes RAM or flash at a physical address; translated code is dropped (the bytes may be code). */
    public void writePhysical(long address, byte[] data) {
        if (!isMemory(address, data.length)) {
            throw new IllegalArgumentException(String.format("no RAM or flash at 0x%x..+%d", address, data.length));
        }
        MemorySegment.copy(data, 0, backing(address, data.length), ValueLayout.JAVA_BYTE, 0, data.length);
        uc.flushTranslations();
    }

    /** Called before the instruction at a hooked address executes. */
    @FunctionalInterface
    public interface InstructionHook {
        void reached(long address);
    }

    /** Called on a guest access overlapping a hooked physical range. */
    @FunctionalInterface
    public interface AccessHook {
        void accessed(boolean write, long physicalAddress, int size);
    }

    /**
     * Calls {@code hook} whenever the instruction at {@code address} is about to execute (a debugger's
     * breakpoint: a code hook on one address costs nothing elsewhere). Returns what removes it.
     */
    public Runnable hookInstruction(long address, InstructionHook hook) {
        var h = uc.hookCode((addr, size) -> {
            if (addr == address) {
                hook.reached(addr);
            }
        }, address, address);
        uc.flushTranslations(); // blocks translated before the hook do not call it
        return () -> {
            uc.removeHook(h);
            uc.flushTranslations();
        };
    }

    /**
     * Calls {@code hook} on guest reads and/or writes overlapping physical [begin, end] (a debugger's
     * watchpoint). Returns what removes it.
     */
    public Runnable hookAccesses(long begin, long end, boolean reads, boolean writes, AccessHook hook) {
        int types = (reads ? Unicorn.HOOK_MEM_READ : 0) | (writes ? Unicorn.HOOK_MEM_WRITE : 0);
        var h = uc.hookMemory(types, (type, address, size, value) -> {
            if (address + size - 1 >= begin && address <= end) {
                hook.accessed(type == Unicorn.MEM_WRITE, address, size);
            }
            return true;
        }, begin, end);
        uc.flushTranslations();
        return () -> {
            uc.removeHook(h);
            uc.flushTranslations();
        };
    }

    /**
     * From inside a code or memory hook (a debugger's breakpoint or watchpoint): the CPU stops at once
     * and {@link #run} returns {@link StopCause#BREAKPOINT} with the exact instruction count there.
     */
    public void stopFromHook() {
        executor.stopFromHook();
    }

    /** The exact retired-instruction count, also from inside a hook while the CPU runs. */
    public long instructionsNow() {
        return executor.syncClockQuietly();
    }

    /**
     * While held, pending interrupts are not taken at run starts (a debugger's single step, as QEMU's
     * gdbstub masks them by default); they stay pending.
     */
    public void holdInterrupts(boolean hold) {
        executor.holdInterrupts(hold);
    }

    /**
     * When set, a run that used up its budget ends before taking an interrupt that is pending at
     * that instruction, so a run of exactly N instructions leaves the machine as it was at
     * instruction N of a longer run (a debugger re-executing to a point in history needs that).
     */
    public void endRunsBeforeInterrupts(boolean on) {
        executor.endRunsBeforeInterrupts(on);
    }

    private static int engineId(Reg r) {
        return switch (r) {
            case SP -> Arm64Reg.SP;
            case PC -> Arm64Reg.PC;
            case PSTATE -> Arm64Reg.PSTATE;
            case NZCV -> Arm64Reg.NZCV;
            case SP_EL0 -> Arm64Reg.SP_EL0;
            case SP_EL1 -> Arm64Reg.SP_EL1;
            case ELR_EL1 -> Arm64Reg.ELR_EL1;
            case VBAR_EL1 -> Arm64Reg.VBAR_EL1;
            case TPIDR_EL0 -> Arm64Reg.TPIDR_EL0;
            case FPSR -> Arm64Reg.FPSR;
            case FPCR -> Arm64Reg.FPCR;
            default -> Arm64Reg.x(r.ordinal()); // X0..X30 come first, in order
        };
    }

    /** Reads guest virtual memory through the guest's own page tables (physical when the MMU is off). */
    public byte[] readVirtual(long address, int length) {
        return uc.readVirtual(address, length, Unicorn.PROT_READ);
    }

    public void writeVirtual(long address, byte[] data) {
        uc.writeVirtual(address, data);
    }

    /** "func+0x1c (0x40080123)" when a symbol is known, else the hex address. */
    public String describe(long address) {
        String s = symbolizer.apply(address);
        // Every run's Stop carries this: concatenation, not String.format (same text, a tenth of the cost).
        String hex = "0x" + Long.toHexString(address);
        return s == null ? hex : s + " (" + hex + ")";
    }

    // ---- running --------------------------------------------------------

    /** Runs at most {@code maxInstructions} more instructions (or until the guest ends, or is interrupted). */
    public Stop run(long maxInstructions) {
        return run(RunUntil.budget(maxInstructions));
    }

    /**
     * The one run loop (the {@link Executor}'s): runs the guest until one of
     * {@code until}'s conditions, the guest's own ending, an interrupt, or the
     * {@link RunGuard}'s allowance ends it, and says which in the returned
     * {@link Stop}. Every waiter in wirelab (script verbs, wire and TCP waits,
     * syscall waits, replay, demo, bench) comes through here.
     */
    public Stop run(RunUntil until) {
        return executor.run(until);
    }

    private long symbolAddress(String symbol) {
        return symbols.address(symbol).orElseThrow(() -> new IllegalArgumentException(
                "no symbol '" + symbol + "' in the loaded image" + (symbols.size() == 0 ? " (it has no symbol table)" : "")));
    }

    /**
     * Stops before the instruction at {@code address} executes, whenever it is
     * reached (a code hook on just that address costs nothing elsewhere).
     */
    public void addBreakpoint(long address) {
        executor.addBreakpoint(address);
    }

    public void removeBreakpoint(long address) {
        executor.removeBreakpoint(address);
    }

    /** The old count-limited slices (tests only: they must give the same runs as exact stops). */
    void countLimitedSlices() {
        executor.countLimitedSlices();
    }

    public java.util.Set<Long> breakpoints() {
        return executor.breakpoints();
    }

    /**
     * Ends the current run (or the next one) at the next block boundary with
     * {@link StopCause#INTERRUPTED}: Ctrl-C. Any thread may call it.
     */
    public void interrupt() {
        executor.interrupt();
    }

    /** Forgets an {@link #interrupt()} no run has consumed yet. */
    public void clearInterrupt() {
        executor.clearInterrupt();
    }

    /** Linux's panic and Oops lines: the default {@link #consolePanic} pattern. */
    public static final java.util.regex.Pattern LINUX_PANIC = ConsolePanicWatch.LINUX;

    /**
     * The console line that means the guest panicked: a run ends with {@link StopCause#GUEST_PANIC}
     * after the first complete line matching it. Default: Linux's panic and Oops lines
     * ({@code Kernel panic - not syncing|Internal error: Oops}); null turns the watch off.
     */
    public void consolePanic(java.util.regex.Pattern pattern) {
        executor.consolePanic(pattern);
    }

    public java.util.regex.Pattern consolePanic() {
        return executor.consolePanic();
    }

    /** A user's {@link #consolePanic} pattern from text: '' is none (null); bad syntax is IllegalArgumentException. */
    public static java.util.regex.Pattern panicPattern(String text) {
        return ConsolePanicWatch.parse(text);
    }

    /** Installs what every run on this board is allowed (the lab's budget and interrupt handling). */
    public void guard(RunGuard guard) {
        executor.guard(guard);
    }

    /** Feeds every block the guest enters into {@code map} (null stops it); the caller clears and reads the map. */
    public void coverage(dev.wirelab.emulator.coverage.EdgeMap map) {
        coverage(map, dev.wirelab.emulator.coverage.EdgeMap.Feed.NATIVE_HOOK);
    }

    /** As {@link #coverage(dev.wirelab.emulator.coverage.EdgeMap)}, choosing who updates the map (tests compare the two). */
    public void coverage(dev.wirelab.emulator.coverage.EdgeMap map, dev.wirelab.emulator.coverage.EdgeMap.Feed feed) {
        executor.coverage(map, feed);
    }

    /** Ends the current slice at the next block boundary (an IRQ line changed, an event was scheduled). */
    public void kick() {
        executor.kick();
    }

    /**
     * Raises the timer interrupt now: the virtual timer's PPI becomes pending
     * in the GIC at exactly this instruction, so the guest is preempted here if
     * it has interrupts unmasked (or as soon as it unmasks them).
     */
    public void tick() {
        int intid = VirtMemoryMap.PPI_VIRT_TIMER;
        gic.setPending(intid);
        trace.record('T', clock.instructions(), intid);
    }

    // ---- snapshots ------------------------------------------------------

    /** Adds a component to whole-machine snapshots. */
    public void addSnapshottable(Snapshottable<?> s) {
        extensions.add(s);
    }

    /** Board-internal run state a snapshot must carry. */
    record RunState(Executor.State executor, ExceptionDelivery.State delivery, long rngState) { }

    /** Takes a snapshot of the whole machine at the current instruction. */
    public Snapshot snapshot() {
        var ctx = uc.allocContext();
        uc.saveContext(ctx);
        List<Snapshottable.Saved<?>> ext = new ArrayList<>(extensions.size());
        for (Snapshottable<?> s : extensions) {
            ext.add(Snapshottable.Saved.of(s));
        }
        RamSnapshot ramSnapshot = new RamSnapshot(ram, residency, dirtyRam());
        markTranslationTables(ramSnapshot);
        // Nothing stale survives into restored runs: from here the TLB only caches the snapshot's tables.
        uc.flushTlb();
        translationWritten = false;
        return new Snapshot(this, ctx, ramSnapshot, clock.save(), events.save(), console.save(), uart.save(),
                gic.saveState(), timer.save(), rtc.save(), ext, trace.copy(),
                new RunState(executor.save(), delivery.save(), hostState.rngState()));
    }

    /** SCTLR, TTBR0/1, TCR, MAIR, AMAIR, CONTEXTIDR (EL1): what QEMU's TLB entries depend on. */
    private static boolean translationRegister(int op0, int op1, int crn, int crm, int op2) {
        if (op0 != 3 || op1 != 0) {
            return false;
        }
        return (crn == 1 && crm == 0 && op2 == 0) || (crn == 2 && crm == 0 && op2 <= 2)
                || (crn == 10 && (crm == 2 || crm == 3) && op2 == 0) || (crn == 13 && crm == 0 && op2 == 1);
    }

    /** Tells the snapshot which RAM pages hold its translation tables (for keeping the TLB across restores). */
    private void markTranslationTables(RamSnapshot snapshot) {
        long ramEnd = VirtMemoryMap.RAM_BASE + config.ramSize();
        List<Long> pages = new ArrayList<>();
        boolean known = dev.wirelab.emulator.cpu.PageTableWalker.tables(uc.readSysReg(3, 0, 2, 0, 2),
                uc.readSysReg(3, 0, 2, 0, 0), uc.readSysReg(3, 0, 2, 0, 1), pa -> {
                    MemorySegment m = backing(pa, 8);
                    return m == null ? 0 : m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
                }, pa -> backing(pa, HostMemory.PAGE) != null, pa -> {
                    if (pa >= VirtMemoryMap.RAM_BASE && pa < ramEnd) {
                        pages.add(pa - VirtMemoryMap.RAM_BASE);
                    }
                });
        if (known) {
            snapshot.tablePages(pages.stream().mapToLong(Long::longValue).toArray());
        }
    }

    private DirtyRam dirtyRam() {
        if (dirtyRam == null) {
            dirtyRam = new DirtyRam(ram, true);
        }
        return dirtyRam;
    }

    /** Whether snapshot restores put back only the RAM pages the kernel saw written (false: residency scan and compare). */
    public boolean dirtyPageRestores() {
        return dirtyRam != null && dirtyRam.tracking();
    }

    /**
     * How dirty-page restores found the written pages so far: the hull scan, or all of RAM and why
     * (a measure for the bench and profiles); null while pages are not tracked.
     */
    public dev.wirelab.emulator.unicorn.DirtyPages.Paths dirtyRestorePaths() {
        return dirtyRam == null ? null : dirtyRam.paths();
    }

    /** Whether instructions are counted by the native block hook (false: a Java upcall per block). */
    public boolean nativeBlockHook() {
        return counter.nativeHook();
    }

    /** Puts the machine back exactly as it was at {@code s}; returns the number of RAM pages rewritten. */
    public int restore(Snapshot s) {
        if (s.owner != this) {
            throw new IllegalArgumentException("snapshot was taken on another board");
        }
        if (s.extensions.size() != extensions.size()) {
            throw new IllegalStateException("cannot restore: " + (extensions.size() - s.extensions.size())
                    + " component(s) were attached to the board after this snapshot was taken (attach them before snapshotting)");
        }
        int pages = s.ram.restoreInto(ram);
        // The TLB caches translations of the snapshot's tables. It stays right when no page of those
        // tables was written and no translation register changed since the snapshot (or its last
        // restore): then the guest's tables and registers are what they were, and so is every entry.
        boolean keepTlb = s.ram.tablesIntact() && !translationWritten;
        uc.restoreContext(s.cpu);
        if (!keepTlb) {
            uc.flushTlb(); // the restored page tables may map differently from what the TLB cached
        }
        translationWritten = false;
        // Clock and queue first: the timer and RTC re-register their events against them.
        clock.restore(s.clock);
        events.restore(s.events);
        console.restore(s.console);
        uart.restore(s.uart);
        gic.restoreState(s.gic);
        timer.restore(s.timer);
        rtc.restore(s.rtc);
        for (Snapshottable.Saved<?> saved : s.extensions) {
            saved.restore();
        }
        trace.restore(s.trace);
        RunState r = s.run;
        executor.restore(r.executor());
        delivery.restore(r.delivery());
        hostState.rngState(r.rngState());
        return pages;
    }

    // ---- hooks ----------------------------------------------------------

    private void installHooks() {
        executor.installHooks();
        uc.hookInterrupt(this::onInterrupt);
        Callbacks.SysInsn mrs = (xt, op0, op1, crn, crm, op2, value) ->
                servedMove(mrsFilter, true, xt, SysRegId.of(op0, op1, crn, crm, op2), value);
        Callbacks.SysInsn msr = (xt, op0, op1, crn, crm, op2, value) -> {
            if (translationRegister(op0, op1, crn, crm, op2)) {
                translationWritten = true;
            }
            return servedMove(msrFilter, false, xt, SysRegId.of(op0, op1, crn, crm, op2), value);
        };
        // Natively filtered where possible: most moves are the guest's own registers (DAIF, SPSR,
        // ELR, SP_EL0 at every exception), which need no upcall at all.
        mrsFilter = uc.hookSysInsnFiltered(Unicorn.INS_MRS, mrs);
        msrFilter = uc.hookSysInsnFiltered(Unicorn.INS_MSR, msr);
        if (mrsFilter == null || msrFilter == null) {
            uc.hookSysInsn(Unicorn.INS_MRS, mrs);
            uc.hookSysInsn(Unicorn.INS_MSR, msr);
        }
        refreshSysFilters();
        executor.installUnmappedHook(VirtMemoryMap.RAM_BASE, VirtMemoryMap.RAM_BASE + config.ramSize());
    }

    /** The native MRS/MSR filters pass exactly what the Java hooks would not return false for at once. */
    private void refreshSysFilters() {
        if (mrsFilter == null) {
            return;
        }
        mrsFilter.want(p -> servedPacked(p));
        msrFilter.want(p -> {
            SysRegId id = SysRegId.fromPacked(p);
            return translationRegister(id.op0(), id.op1(), id.crn(), id.crm(), id.op2()) || servedPacked(p);
        });
    }

    private boolean servedPacked(int packed) {
        return sysRegs.route(packed) != null;
    }

    /**
     * An MRS/MSR the board serves, from the hook (the clock synced to the instruction first);
     * false leaves it to Unicorn. {@code filter} is the native filter that called, which read PC
     * and writes Xt and PC afterwards (null: the plain Java hook, which does it all itself).
     *
     * <p>A register Unicorn does not know (the GICv3 CPU interface) is emulated here too instead
     * of from the UNDEF it would raise (exception, interrupt hook, fetch and decode): Unicorn ends
     * the block at the instruction and, when the hook returns 1, jumps past the UNDEF to the
     * block's end with PC on the instruction itself. So the hook moves PC past it (a PC write
     * from a hook makes Unicorn resume there) and counts it as retired, as the UNDEF path does.
     */
    private boolean servedMove(dev.wirelab.emulator.unicorn.SysInsnFilter filter, boolean read, int xt, SysRegId id,
                               long value) {
        SysRegHandler h = sysRegs.route(id.packed());
        if (h == null) {
            return false; // Unicorn's own register, or an unknown one it raises UNDEF for
        }
        long at = filter != null ? filter.pc() : pc();
        executor.syncClockAt(at);
        if (read) {
            long v = h.read(id);
            if (filter != null) {
                filter.setXt(v);
            } else if (xt != Arm64Reg.XZR) {
                uc.writeReg(xt, v);
            }
            if (h == hostState && (id.equals(HostStateRegisters.RNDR) || id.equals(HostStateRegisters.RNDRRS))) {
                uc.writeReg(Arm64Reg.NZCV, 0); // RNDR reports success with NZCV = 0000
            }
        } else {
            h.write(id, xt == Arm64Reg.XZR ? 0 : value);
        }
        if (unknownToUnicorn(id)) {
            counter.redirect(at, at + 4, 1);
            if (filter != null) {
                filter.advance();
            } else {
                uc.writeReg(Arm64Reg.PC, at + 4);
            }
        }
        return true;
    }

    /**
     * Unicorn has no GICv3 CPU interface: an MRS/MSR of ICC_* raises UNDEF unless the hook moves
     * PC past it ({@link #servedMove}; a plain return 1 leaves PC on it). The interrupt hook still
     * emulates one from the UNDEF when no hook served it (measured on Unicorn 2.1.4; Unicorn
     * cannot be asked: reading an unknown register through CP_REG only prints a warning).
     */
    private static boolean unknownToUnicorn(SysRegId id) {
        return id.op0() == 3 && (id.crn() == 12 || (id.crn() == 4 && id.crm() == 6));
    }

    private void onInterrupt(int intno) {
        long pc = pc();
        switch (intno) {
            case EXCP_UDEF, EXCP_HVC, EXCP_SMC -> {
                long at = pc;
                int insn = fetch(at);
                if (intno == EXCP_SMC && !Insn.is(insn, Insn.SMC)) {
                    at = pc - 4; // reported with PC after the smc
                    insn = fetch(at);
                }
                if (insn == Insn.SEMIHOSTING_HLT) {
                    executor.syncClockAt(at);
                    Semihosting.Outcome o = semihosting.call((int) x(0), x(1), virtualMemory);
                    complete(at, o instanceof Semihosting.Result r ? r.x0() : 0,
                            o instanceof Semihosting.Exit e ? e.status() : null);
                } else if (Insn.is(insn, Insn.HVC) || Insn.is(insn, Insn.SMC)) {
                    executor.syncClockAt(at);
                    Psci.Outcome o = psci.call((int) x(0), x(1));
                    complete(at, o instanceof Psci.Result r ? r.x0() : 0, o instanceof Psci.Exit e ? e.status() : null);
                } else if (Insn.isSysRegMove(insn) && sysRegs.route(Insn.sysReg(insn).packed()) != null) {
                    executor.syncClockAt(at);
                    emulateSysRegMove(at, insn);
                } else {
                    // HVC/SMC outside PSCI's range and HLT other than semihosting are UNDEFINED on a
                    // machine without EL2/EL3, as under QEMU virt.
                    delivery.takeSync(at, at, ExceptionEngine.syndrome(ExceptionEngine.EC_UNKNOWN, 0), -1,
                            "undefined instruction 0x" + Integer.toHexString(insn));
                }
            }
            case EXCP_SWI -> {
                int imm = Insn.imm16(fetchOrZero(pc - 4));
                executor.syncClockAt(pc);
                if (svcConsumed(imm, pc)) {
                    counter.redirect(pc, pc(), 0);
                    executor.hostEvent(); // a lab call: the host's waits look at their conditions right after it
                    return;
                }
                delivery.takeSync(pc, pc, ExceptionEngine.syndrome(ExceptionEngine.EC_SVC64, imm), -1, "svc #" + imm);
            }
            case EXCP_BKPT -> delivery.takeSync(pc, pc, ExceptionEngine.syndrome(ExceptionEngine.EC_BRK64,
                    Insn.imm16(fetchOrZero(pc))), -1, "brk");
            case EXCP_DATA_ABORT -> delivery.dataAbort(pc);
            case EXCP_PREFETCH_ABORT -> delivery.instructionAbort(pc);
            default -> throw delivery.unhandled("CPU exception " + intno, pc);
        }
    }

    // ---- exceptions -----------------------------------------------------

    private void emulateSysRegMove(long at, int insn) {
        SysRegId id = Insn.sysReg(insn);
        SysRegHandler h = sysRegs.route(id.packed());
        int rt = Insn.rt(insn);
        if (Insn.isMrs(insn)) {
            long v = h.read(id);
            if (rt != 31) {
                setX(rt, v);
            }
        } else {
            h.write(id, rt == 31 ? 0 : x(rt));
        }
        skip(at);
    }

    /** Finishes a host-emulated trapping instruction at {@code at}: result in x0, continue after it. */
    private void complete(long at, long x0, ExitStatus exit) {
        if (exit != null) {
            counter.redirect(at, at + 4, 1);
            uc.writeReg(Arm64Reg.PC, at + 4);
            executor.guestExited(exit);
            return;
        }
        setX(0, x0);
        skip(at);
    }

    private void skip(long at) {
        counter.redirect(at, at + 4, 1);
        uc.writeReg(Arm64Reg.PC, at + 4);
    }

    private int fetch(long address) {
        byte[] b = uc.readVirtual(address, 4, Unicorn.PROT_EXEC);
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    private int fetchOrZero(long address) {
        try {
            return fetch(address);
        } catch (UnicornException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            uc.close();
        } finally {
            if (dirtyRam != null) {
                dirtyRam.close(); // unregisters the mapping from userfaultfd before it goes
            }
            HostMemory.unmap(ram);
            HostMemory.unmap(flash);
            if (flashBanks != null) {
                flashBanks.close();
            }
            if (disk != null) {
                try {
                    disk.close();
                } catch (java.io.IOException e) {
                    guestLog.error("virtio-blk", "closing the disk image failed: " + e.getMessage());
                }
            }
        }
    }
}
