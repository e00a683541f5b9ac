package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.RunUntil;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.board.Snapshottable;
import dev.wirelab.emulator.board.StateLists;
import dev.wirelab.emulator.boot.BootImage;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.capture.Direction;
import dev.wirelab.emulator.net.Station;
import dev.wirelab.emulator.net.VirtualWire;
import dev.wirelab.emulator.time.VirtualClock;
import dev.wirelab.emulator.wire.ArpPacket;
import dev.wirelab.emulator.wire.EtherType;
import dev.wirelab.emulator.wire.EthernetFrame;
import dev.wirelab.emulator.wire.Icmpv4Message;
import dev.wirelab.emulator.wire.Ipv4Address;
import dev.wirelab.emulator.wire.Ipv4Packet;
import dev.wirelab.emulator.wire.MacAddress;
import dev.wirelab.emulator.wire.Packet;
import dev.wirelab.emulator.wire.RelativeSeq;
import dev.wirelab.emulator.wire.SeqNumber;
import dev.wirelab.emulator.wire.TcpFlags;
import dev.wirelab.emulator.wire.TcpOption;
import dev.wirelab.emulator.wire.TcpSegment;
import dev.wirelab.emulator.wire.UdpDatagram;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The one scripting API: a Groovy script, the shell, a JUnit test and a fuzz
 * target all drive a guest through this object.
 *
 * <pre>{@code
 * lab.boot()                                   // default guest, run to "ready"
 * lab.inject(lab.tcp(flags: 'S', mss: 1460))   // from the scripted peer 10.0.2.100:40000 to port 7
 * lab.expect(flags: 'S.', seq: 0, ack: 1)      // seq/ack relative to the ISNs, like packetdrill
 * lab.breakpoint('tcp_input'); lab.run(1_000_000); lab.tick()
 * regs.x0; mem.read(sym.tcp_input, 16); disasm(regs.pc, 4); console.text; trace.frames
 * }</pre>
 *
 * <p>Everything here is plain Java; Groovy's named arguments arrive as the
 * {@code Map} overloads. Every guest run is bounded by {@link #budget} (a
 * {@link LabFailure} of kind BUDGET_EXHAUSTED when it runs out) and stops at an
 * instruction boundary when {@link #interrupt()} is called from another thread.
 * Nothing reads the host clock: the same calls give the same run.
 *
 * <p>The scripted peer: packets built with {@link #tcp}/{@link #udp}/{@link #icmp}
 * come from {@link #PEER_IP} ({@link #PEER_MAC}), a station on the guest's
 * segment that is not the virtual wire's host (so the wire's own TCP never
 * answers for it): a {@link Station} on the wire, whose ARP table answers for it.
 */
public final class Lab implements AutoCloseable {
    /** The default guest, when the guest module is on the class path. */
    public static final String DEFAULT_GUEST = "/guest/kernel/wirelab-guest.elf";
    public static final String READY_LINE = "wirelab-guest: ready";
    public static final Ipv4Address PEER_IP = Ipv4Address.parse("10.0.2.100");
    public static final MacAddress PEER_MAC = MacAddress.parse("52:55:0a:00:02:64");
    public static final Ipv4Address GUEST_IP = Ipv4Address.parse("10.0.2.15");
    /** The peer's default initial sequence number (relative 0). */
    public static final long DEFAULT_PEER_ISN = 1_000_000;
    /** Default budget: 20,000 M instructions for the whole script. */
    public static final long DEFAULT_BUDGET = 20_000_000_000L;
    /** How long {@code expect} waits for a packet unless told: 2 s of virtual time. */
    public static final long DEFAULT_EXPECT_TICKS = 2 * VirtualClock.FREQUENCY_HZ;

    private Board board;
    private VirtualWire wire;
    /** {@code run --capture}: every frame of the current boot to this pcapng (null: none). */
    private Path captureFile;
    private dev.wirelab.emulator.net.CaptureRecorder recorder;
    private long capturedFrames;
    private IOException captureFailure;
    private dev.wirelab.emulator.agent.AgentHost agentHost;
    private Snapshot bootSnapshot;
    private String imageName = "(none)";
    private volatile boolean interruptRequested;
    private long budget = DEFAULT_BUDGET;
    private long spent;
    private int gdbPort = -1;
    private boolean gdbServed;
    private long budgetCeiling = Long.MAX_VALUE;
    private FilePolicy files = FilePolicy.ANYWHERE;
    private ImageDigest imageDigest;
    private boolean strict;

    // Scripted-peer state (part of snapshots through labState()).
    private List<FrameEvent> frames = new ArrayList<>();
    private List<FrameEvent> outbox = new ArrayList<>();
    private int outboxRead;
    private Map<Long, Flow> flows = new HashMap<>();

    /** Register, memory, symbol, console, trace, network and syscall views (valid across boots). */
    public final Regs regs = new Regs(this);
    public final Mem mem = new Mem(this);
    public final Sym sym = new Sym(this);
    public final LabConsole console = new LabConsole(this);
    public final LabTrace trace = new LabTrace(this);
    public final Net net = new Net(this);
    public final Sys sys = new Sys(this);

    /** A TCP flow between the peer and the guest, for relative sequence numbers (each direction). */
    static final class Flow {
        RelativeSeq peer = RelativeSeq.UNKNOWN;
        RelativeSeq guest = RelativeSeq.UNKNOWN;

        Flow copy() {
            Flow f = new Flow();
            f.peer = peer;
            f.guest = guest;
            return f;
        }
    }

    private record LabState(List<FrameEvent> frames, List<FrameEvent> outbox, int outboxRead, Map<Long, Flow> flows) { }

    public Lab() { }

    /** The console line that ends a run as a guest panic on the next board ({@code boot(panic: ...)}). */
    private java.util.regex.Pattern consolePanic = Board.LINUX_PANIC;

    // ---- boot ---------------------------------------------------------------

    /** Boots the default guest with default board options and runs it to its ready line. */
    public Lab boot() {
        return boot(Map.of());
    }

    /**
     * Boots with options: {@code image} (path, or {@code zoo:NAME} for a bug-zoo guest, see {@link ZooGuests};
     * default: the embedded default guest), {@code ram} (bytes),
     * {@code gic} (2|3), {@code bootargs} (or its alias {@code append}), {@code initrd} (a file loaded after a
     * Linux Image, as QEMU's -initrd), {@code panic} (the console line that ends a run as a guest panic: text or
     * ~/regex/, '' for none; default Linux's panic and Oops lines), {@code ready} (run to the ready line, default
     * true for the default guest), {@code config} (a {@link BoardConfig}).
     */
    public Lab boot(Map<String, ?> options) {
        options = NamedArgs.BOOT.check(options);
        BoardConfig config = options.get("config") instanceof BoardConfig c ? c : BoardConfig.defaults();
        if (options.containsKey("ram")) {
            config = config.withRamSize(num(options.get("ram")));
        }
        if (options.containsKey("gic")) {
            config = config.withGicVersion((int) num(options.get("gic")));
        }
        if (options.containsKey("bootargs") && options.containsKey("append")) {
            throw new BadArgument("boot: give bootargs or its alias append, not both", ScriptLine.caller());
        }
        if (options.containsKey("bootargs") || options.containsKey("append")) {
            config = config.withBootArgs(String.valueOf(options.containsKey("bootargs") ? options.get("bootargs") : options.get("append")));
        }
        if (options.containsKey("initrd")) {
            Object rd = options.get("initrd");
            if (rd instanceof BootImage) {
                throw new BadArgument("boot: initrd is a file name (a cpio archive), not a boot image", ScriptLine.caller());
            }
            config = config.withInitrd(files.check(rd instanceof Path p ? p : Path.of(String.valueOf(rd)), "initrd"));
        }
        consolePanic = options.containsKey("panic") ? BootPanic.pattern(options.get("panic")) : Board.LINUX_PANIC;
        BootImage image;
        Object img = options.get("image");
        ImageDigest digest;
        if (img instanceof BootImage b) {
            image = b;
            digest = null;
        } else if (ZooGuests.isZooName(img)) {
            byte[] bytes = ZooGuests.elf(String.valueOf(img));
            image = ZooGuests.parse(String.valueOf(img), bytes);
            digest = ImageDigest.of(String.valueOf(img), bytes);
        } else if (img != null) {
            Path file = files.check(img instanceof Path p ? p : Path.of(String.valueOf(img)), "boot image");
            image = BootImages.load(file);
            digest = ImageDigest.ofFile(file);
        } else {
            byte[] bytes = defaultGuestBytes();
            image = BootImages.parse("wirelab-guest.elf", bytes);
            digest = ImageDigest.of("default", bytes);
        }
        // Zoo guests are variants of the default guest: they too run to the ready line.
        boolean ready = options.containsKey("ready") ? truthy(options.get("ready")) : img == null || ZooGuests.isZooName(img);
        boolean agents = !options.containsKey("agents") || truthy(options.get("agents"));
        boot(config, image, ready, agents);
        imageDigest = digest;
        return this;
    }

    /** The booted image's name and SHA-256 (null when booted from a BootImage object, not bytes). */
    public ImageDigest getImageDigest() {
        return imageDigest;
    }

    /** Confines the files the lab API reads and writes to {@code roots} (one way: it never widens again). */
    public void confineFiles(List<Path> roots) {
        files = files.narrow(roots);
    }

    /** Fixes the instruction budget as a ceiling: later {@link #setBudget} calls can lower it, never raise it. */
    public void lockBudget() {
        budgetCeiling = budget;
    }

    /** Boots {@code image} on a board with {@code config}; {@code toReady} runs to the default guest's ready line. */
    public Lab boot(BoardConfig config, BootImage image, boolean toReady) {
        return boot(config, image, toReady, true);
    }

    /** ... and {@code agents}: attach the agent host (for {@code sys.*}) before the guest boots. */
    public Lab boot(BoardConfig config, BootImage image, boolean toReady, boolean agents) {
        closeBoard();
        imageDigest = null;
        Board b = Board.create(config);
        try {
            b.consolePanic(consolePanic);
            wire = VirtualWire.attach(b);
            agentHost = agents ? dev.wirelab.emulator.agent.AgentHost.attach(b) : null;
            b.addSnapshottable(Snapshottable.of(this::saveLabState, this::restoreLabState));
            wire.addTap(this::onTap);
            if (captureFile != null) {
                try {
                    recorder = dev.wirelab.emulator.net.CaptureRecorder.toFile(wire, captureFile);
                } catch (IOException e) {
                    throw new UncheckedIOException("capture " + captureFile + ": cannot write (" + e.getMessage() + ")", e);
                }
            }
            wire.addStation(new Station() {
                @Override
                public MacAddress arp(Ipv4Address address) {
                    return address.equals(PEER_IP) ? PEER_MAC : null;
                }

                @Override
                public boolean fromGuest(Packet packet, byte[] frame) {
                    return peerFrame(packet, frame);
                }
            });
            b.guard(new LabGuard(this, b)); // the budget and Ctrl-C hold in every wait on this board
            if (interruptRequested) {
                b.interrupt();
            }
            b.load(image);
        } catch (RuntimeException e) {
            finishCapture(); // what the wire saw before the failure
            b.close();
            wire = null;
            agentHost = null;
            throw e;
        }
        board = b;
        imageName = image.name();
        frames = new ArrayList<>();
        outbox = new ArrayList<>();
        outboxRead = 0;
        flows = new HashMap<>();
        if (toReady) {
            Stop s = until(Map.of("console", READY_LINE));
            if (!s.reached()) {
                throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "the guest did not reach '" + READY_LINE
                        + "': " + s + (getPanic() != null ? "" : "\n" + console.getText()));
            }
        }
        bootSnapshot = board.snapshot();
        return this;
    }

    /** Puts the machine back to the instant {@link #boot} finished. */
    public Lab reset() {
        requireBoard().restore(bootSnapshot);
        return this;
    }

    public static byte[] defaultGuestBytes() {
        try (InputStream in = Lab.class.getResourceAsStream(DEFAULT_GUEST)) {
            if (in == null) {
                throw new IllegalStateException("the default guest " + DEFAULT_GUEST
                        + " is not in this build: rebuild with scripts/build, or boot(image: 'FILE')");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isBooted() {
        return board != null;
    }

    /** The board (for what the API does not cover). */
    public Board getBoard() {
        return requireBoard();
    }

    /** The virtual wire (ARP, ICMP, DHCP responders, the host's TCP), or null before boot. */
    public VirtualWire getWire() {
        return wire;
    }

    dev.wirelab.emulator.agent.AgentHost agentHost() {
        return agentHost;
    }

    public String getImage() {
        return imageName;
    }

    Board requireBoard() {
        if (board == null) {
            throw new IllegalStateException("no guest booted yet: call lab.boot() first");
        }
        return board;
    }

    // ---- budget and interruption ----------------------------------------------

    /** Instructions every guest run of this lab may still retire in total. */
    public long getBudget() {
        return budget - spent;
    }

    /** Sets the total instruction budget, counted from now. */
    public void setBudget(long instructions) {
        this.budget = Math.min(budgetCeiling, spent + Math.max(0, instructions));
    }

    /** Instructions retired by runs of this lab (across restores). */
    public long getSpent() {
        return spent;
    }

    /** Stops a running guest at the next instruction boundary (any thread); the run throws INTERRUPTED. */
    public void interrupt() {
        interruptRequested = true;
        Board b = board;
        if (b != null) {
            b.interrupt();
        }
    }

    /** Forgets an {@link #interrupt()} that arrived when no run was going on (the shell calls it after each line). */
    public void clearInterrupt() {
        interruptRequested = false;
        Board b = board;
        if (b != null) {
            b.clearInterrupt();
        }
    }

    /** Charges a finished run's instructions to the budget (the board's guard calls it). */
    void charge(long instructions) {
        spent += instructions;
    }

    /** An interrupt was delivered as a run's stop: it is used up. */
    void interruptTaken() {
        interruptRequested = false;
    }

    // ---- time -----------------------------------------------------------------

    /** Virtual time now, in counter ticks (62.5 MHz: 16 ns each). */
    public long getNow() {
        return board == null ? 0 : board.clock().ticks();
    }

    public long getInstructions() {
        return board == null ? 0 : board.clock().instructions();
    }

    /** "12.345678 ms" */
    public String getTime() {
        return formatTime(getNow());
    }

    public long ms(double n) {
        return Math.round(n * VirtualClock.FREQUENCY_HZ / 1000.0);
    }

    public long us(double n) {
        return Math.round(n * VirtualClock.FREQUENCY_HZ / 1_000_000.0);
    }

    public long sec(double n) {
        return Math.round(n * VirtualClock.FREQUENCY_HZ);
    }

    public static String formatTime(long ticks) {
        long ns = ticks * VirtualClock.NANOS_PER_TICK;
        return String.format("%d.%06d ms", ns / 1_000_000, ns % 1_000_000);
    }

    // ---- running --------------------------------------------------------------

    /** Runs at most {@code n} instructions (stops early at breakpoints or when the guest ends). */
    public Stop run(long n) {
        return runGuest(RunUntil.budget(n));
    }

    /** Runs until the guest ends, a breakpoint, or the budget. */
    public Stop run() {
        return runGuest(RunUntil.unbounded());
    }

    /** Executes one instruction. */
    public Stop step() {
        return run(1);
    }

    /** Until the guest reaches {@code address}. */
    public Stop until(long address) {
        return runGuest(RunUntil.unbounded().at(address));
    }

    /** Until a symbol is reached, or (when no symbol has that name) the console prints {@code text}. */
    public Stop until(String symbolOrText) {
        if (board != null && board.symbols().address(symbolOrText).isPresent()) {
            return until(board.symbols().address(symbolOrText).getAsLong());
        }
        return until(Map.of("console", symbolOrText));
    }

    /** Until new console output matches {@code pattern}. */
    public Stop until(Pattern pattern) {
        return until(Map.of("console", pattern));
    }

    /** Until {@code condition} holds (checked after every guest frame and every 2 M instructions). */
    public Stop until(BooleanSupplier condition) {
        return until(Map.of("condition", condition));
    }

    /**
     * Named form: {@code address}, {@code symbol}, {@code console} (text or Pattern, in output printed
     * from now on), {@code condition} (a closure), {@code time} (absolute virtual time in ticks),
     * {@code ms}/{@code us} (virtual time from now); {@code within} (ticks) bounds the wait: when it
     * passes first, the Stop's reason is "time" and {@link Stop#reached()}... is still true for time
     * goals only — check the condition yourself. Without {@code within} the wait is bounded by the budget.
     */
    public Stop until(Map<String, ?> spec) {
        spec = NamedArgs.UNTIL.check(spec);
        Board b = requireBoard();
        long deadline = Long.MAX_VALUE;
        if (spec.containsKey("time")) {
            deadline = num(spec.get("time"));
        }
        if (spec.containsKey("ms")) {
            deadline = getNow() + ms(dbl(spec.get("ms")));
        }
        if (spec.containsKey("us")) {
            deadline = getNow() + us(dbl(spec.get("us")));
        }
        long within = spec.containsKey("within") ? num(spec.get("within")) : -1;
        RunUntil until = RunUntil.unbounded();
        if (spec.get("console") != null) {
            Object c = spec.get("console");
            until = until.console(c instanceof Pattern pat ? pat : Pattern.compile(Pattern.quote(String.valueOf(c))));
        }
        if (spec.get("condition") instanceof BooleanSupplier s) {
            until = until.when("the script's condition", s);
        }
        if (spec.get("symbol") != null) {
            until = until.at(sym.get(String.valueOf(spec.get("symbol"))));
        } else if (spec.get("address") != null) {
            until = until.at(num(spec.get("address")));
        }
        long timeLimit = deadline;
        if (within >= 0) {
            timeLimit = Math.min(deadline, getNow() + within);
        }
        if (timeLimit != Long.MAX_VALUE && timeLimit <= b.clock().ticks()) {
            return stop(StopCause.TIME_REACHED, "time", "already at " + formatTime(b.clock().ticks()));
        }
        Stop s = runGuest(timeLimit == Long.MAX_VALUE ? until : until.time(timeLimit));
        if (s.cause() == StopCause.TIME_REACHED && timeLimit != deadline) {
            return new Stop(StopCause.TIME_REACHED, "timeout", "waited " + formatTime(within) + " of virtual time",
                    s.instructions(), s.ticks(), s.pc(), s.where());
        }
        return s;
    }

    /** {@code until(within: ms(100)) { c.established }}: the named form plus a closure condition. */
    public Stop until(Map<String, ?> spec, BooleanSupplier condition) {
        Map<String, Object> m = new LinkedHashMap<>(spec);
        m.put("condition", condition);
        return until(m);
    }

    /** Runs for {@code ticks} of virtual time. */
    public Stop advance(long ticks) {
        return until(Map.of("time", getNow() + ticks));
    }

    /** {@code advance(ms: 10)}, {@code advance(us: 50)}. */
    public Stop advance(Map<String, ?> spec) {
        spec = NamedArgs.ADVANCE.check(spec);
        return until(spec);
    }

    /**
     * Every Lab verb runs the guest through here: the board's one run loop, with the lab's
     * budget and Ctrl-C enforced by its guard (they throw BUDGET_EXHAUSTED / INTERRUPTED failures).
     */
    Stop runGuest(RunUntil until) {
        Board b = requireBoard();
        dev.wirelab.emulator.board.Stop s = b.run(until);
        return switch (s.cause()) {
            case BREAKPOINT -> stop(s.cause(), "breakpoint", s.detail());
            case CONSOLE_MATCH, CONDITION_HELD -> stop(s.cause(), "condition", "");
            case TIME_REACHED -> stop(s.cause(), "time", s.detail());
            case BUDGET_EXHAUSTED -> stop(s.cause(), "budget", "ran " + until.budget() + " instructions");
            case GUEST_FAULT -> stop(s.cause(), "fault", s.toString());
            case IDLE_FOREVER -> stop(s.cause(), "idle", s.toString());
            case GUEST_PANIC -> stop(s.cause(), "panic", s.detail());
            case GUEST_EXIT -> stop(s.cause(), "exited", s.toString());
            // The guard throws for an interrupt; a run without one still says what happened.
            case INTERRUPTED -> stop(s.cause(), "interrupted", s.detail());
        };
    }

    private Stop stop(StopCause cause, String reason, String detail) {
        Board b = board;
        long pc = b.pc();
        return new Stop(cause, reason, detail, b.clock().instructions(), b.clock().ticks(), pc, b.describe(pc));
    }

    // ---- breakpoints and time control -------------------------------------------

    /** A breakpoint at an address or a symbol; returns the address. */
    public long breakpoint(Object where) {
        long a = address(where);
        requireBoard().addBreakpoint(a);
        return a;
    }

    public void clearBreakpoint(Object where) {
        requireBoard().removeBreakpoint(address(where));
    }

    public List<String> getBreakpoints() {
        List<String> l = new ArrayList<>();
        for (long a : requireBoard().breakpoints()) {
            l.add(board.describe(a));
        }
        return l;
    }

    long address(Object where) {
        if (where instanceof Number n) {
            return n.longValue();
        }
        return sym.get(String.valueOf(where));
    }

    /** Raises the timer interrupt now (the guest is preempted here if it can be). */
    public void tick() {
        requireBoard().tick();
    }

    /** Raises the timer interrupt at virtual time {@code ticks} (absolute). */
    public void tickAt(long ticks) {
        Board b = requireBoard();
        b.events().schedule(Math.max(ticks, b.clock().ticks()), "lab tick", t -> b.tick());
    }

    // ---- debugging ----------------------------------------------------------------

    /**
     * Lends the machine to GDB on 127.0.0.1:{@code port} ({@code target remote :PORT}); the script
     * waits here and goes on when GDB detaches or disconnects. See {@link dev.wirelab.emulator.gdb.GdbStub}.
     */
    public String gdb(int port) {
        gdbServed = true;
        try {
            return dev.wirelab.emulator.gdb.GdbStub.listenAndServe(requireBoard(), wire, "127.0.0.1", port, System.err)
                    .outcome().name().toLowerCase(java.util.Locale.ROOT);
        } catch (IOException e) {
            throw new IllegalArgumentException("gdb: " + e.getMessage() + " (pick another port)", e);
        }
    }

    /** {@code lab.gdb()}: on the port {@code wirelab run --gdb PORT} gave. */
    public String gdb() {
        if (gdbPort < 0) {
            throw new IllegalArgumentException("lab.gdb() needs a port: lab.gdb(1234), or run the script with --gdb PORT");
        }
        return gdb(gdbPort);
    }

    /**
     * Records every frame of each boot that follows to {@code file} (pcapng, virtual timestamps),
     * written atomically when that boot's board closes; a reboot starts the file anew. Set by the
     * CLI ({@code run --capture}), never by a sandboxed script.
     */
    public void setCaptureFile(Path file) {
        captureFile = file;
    }

    /** The {@code --capture} file, or null. */
    public Path getCaptureFile() {
        return captureFile;
    }

    /** Frames the last finished capture holds. */
    public long getCapturedFrames() {
        return capturedFrames;
    }

    /** Why the last capture could not be written, or null. */
    public IOException getCaptureFailure() {
        return captureFailure;
    }

    /** The port for {@link #gdb()}; negative: none. */
    public void setGdbPort(int port) {
        gdbPort = port;
    }

    /** Whether the machine was lent to GDB during this script. */
    public boolean getGdbServed() {
        return gdbServed;
    }

    // ---- replay -----------------------------------------------------------------

    /**
     * Replays the capture file {@code capture} into the guest ({@link dev.wirelab.emulator.replay.Replayer});
     * the file must be one this lab may read, and the run counts against the budget.
     */
    public dev.wirelab.emulator.replay.ReplayReport replay(Object capture, dev.wirelab.emulator.replay.ReplayOptions options,
                                                           long maxInsns) throws dev.wirelab.emulator.replay.ReplayInputException {
        Path file = files.check(capture instanceof Path p ? p : Path.of(String.valueOf(capture)), "capture");
        requireBoard();
        // The board's LabGuard charges the replay's runs to the budget, like every other run.
        return dev.wirelab.emulator.replay.Replayer.load(file, options).run(wire, maxInsns);
    }

    // ---- snapshots --------------------------------------------------------------

    public Snapshot snapshot() {
        return requireBoard().snapshot();
    }

    public void restore(Snapshot s) {
        requireBoard().restore(s);
    }

    // ---- guest end, panics ------------------------------------------------------

    /** The guest's panic report, if it printed one. */
    public Panic getPanic() {
        return board == null ? null : Panic.find(board.console().text());
    }

    // ---- checks -----------------------------------------------------------------

    /** Fails the script (exit 1) with {@code message} unless {@code condition}. */
    public void check(boolean condition, String message) {
        if (!condition) {
            throw new LabFailure(LabFailure.Kind.EXPECTATION_FAILED, "check failed: " + message);
        }
    }

    /** The script says the bug reproduced: ends it with exit 1 and {@code title} as the report's title. */
    public void reproduced(String title) {
        throw new LabFailure(LabFailure.Kind.REPRODUCED, title);
    }

    /** Ends the script as skipped (exit 0, reason printed): for a feature this build lacks. */
    public void skip(String reason) {
        throw new LabFailure(LabFailure.Kind.SKIPPED, reason);
    }

    // ---- packets ----------------------------------------------------------------

    /**
     * A TCP segment from the peer to the guest. Keys: {@code flags} ("S", "S.", ".", "P.", "F.", "R"),
     * {@code seq}, {@code ack} (relative to the peer's and the guest's ISN; default: the next in
     * sequence), {@code win} (65535), {@code sport} (40000), {@code dport} (7), {@code data}
     * (String or byte[]) or {@code len}, {@code mss}, {@code wscale}, {@code sackOK}, {@code sack}
     * ([[left, right], ...], relative to the guest's ISN), {@code ts}
     * ([val, ecr]), {@code isn} (peer ISN for a SYN), {@code abs} (true: seq/ack are absolute),
     * {@code ttl}, {@code checksum} (override, to send a bad one), {@code src}/{@code dst} (IPs).
     */
    public Pkt tcp(Map<String, ?> f) {
        f = NamedArgs.TCP.check(f);
        int sport = (int) num(get(f, "sport", 40000));
        int dport = (int) num(get(f, "dport", 7));
        int flags = TcpFlags.parse(String.valueOf(get(f, "flags", ".")));
        boolean abs = truthy(f.get("abs"));
        byte[] data = payload(f);
        Flow flow = flows.computeIfAbsent(flowKey(sport, dport), k -> new Flow());
        if ((flags & TcpFlags.SYN) != 0 && !abs && (!flow.peer.known() || f.containsKey("isn"))) {
            flow.peer = RelativeSeq.from(SeqNumber.of(num(get(f, "isn", DEFAULT_PEER_ISN))));
        }
        long seqRel = f.containsKey("seq") ? num(f.get("seq")) : flow.peer.next();
        long ackRel = f.containsKey("ack") ? num(f.get("ack")) : flow.guest.next();
        SeqNumber seq = abs ? SeqNumber.of(seqRel) : flow.peer.absolute(seqRel);
        SeqNumber ack = abs ? SeqNumber.of(ackRel) : flow.guest.absolute(ackRel);
        if ((flags & TcpFlags.ACK) == 0 && !f.containsKey("ack")) {
            ack = SeqNumber.ZERO;
        }
        if (!abs) {
            long len = data.length + ((flags & TcpFlags.SYN) != 0 ? 1 : 0) + ((flags & TcpFlags.FIN) != 0 ? 1 : 0);
            flow.peer = flow.peer.advancedTo(seqRel + len);
        }
        TcpSegment.Builder t = TcpSegment.builder().ports(sport, dport).flags(flags).seq(seq).ack(ack)
                .window((int) num(get(f, "win", 65535))).payload(data);
        List<TcpOption> opts = new ArrayList<>();
        if (f.get("options") instanceof List<?> exact) {
            // packetdrill order, as given; SACK blocks are relative to the guest's ISN like sack:
            opts.addAll(TcpOptionMatch.rebase(exact, abs || !flow.guest.known() ? 0 : flow.guest.isn().value()));
        } else if (f.containsKey("mss")) {
            opts.add(TcpOption.mss((int) num(f.get("mss"))));
        }
        if (!f.containsKey("options") && truthy(f.get("sackOK"))) {
            opts.add(TcpOption.sackPermitted());
        }
        if (!f.containsKey("options") && f.get("ts") instanceof List<?> ts && ts.size() == 2) {
            opts.add(TcpOption.timestamps(num(ts.get(0)), num(ts.get(1))));
        }
        if (!f.containsKey("options") && f.containsKey("wscale")) {
            opts.add(TcpOption.nop());
            opts.add(TcpOption.windowScale((int) num(f.get("wscale"))));
        }
        if (!f.containsKey("options") && f.get("sack") instanceof List<?> blocks && !blocks.isEmpty()) {
            opts.add(TcpOption.nop());
            opts.add(TcpOption.nop());
            opts.add(sackOption(blocks, abs || !flow.guest.known() ? 0 : flow.guest.isn().value()));
        }
        if (!opts.isEmpty()) {
            t.options(opts);
        }
        if (f.containsKey("checksum")) {
            t.checksum((int) num(f.get("checksum")));
        }
        return ipv4(f, t);
    }

    /** SACK blocks {@code [[left, right], ...]} in the guest's sequence space, offset by {@code base}. */
    private static TcpOption sackOption(List<?> blocks, long base) {
        List<TcpOption.SackBlock> out = new ArrayList<>();
        for (Object b : blocks) {
            if (!(b instanceof List<?> edges) || edges.size() != 2) {
                throw new IllegalArgumentException("tcp: sack takes blocks [left, right], e.g. sack: [[1, 100]]; got " + b);
            }
            out.add(new TcpOption.SackBlock(SeqNumber.of(base + num(edges.get(0))), SeqNumber.of(base + num(edges.get(1)))));
        }
        return new TcpOption.Sack(out);
    }

    /** A UDP datagram from the peer: {@code sport} (40000), {@code dport} (7), {@code data}. */
    public Pkt udp(Map<String, ?> f) {
        f = NamedArgs.UDP.check(f);
        UdpDatagram.Builder u = UdpDatagram.builder().ports((int) num(get(f, "sport", 40000)),
                (int) num(get(f, "dport", 7))).payload(payload(f));
        if (f.containsKey("checksum")) {
            u.checksum((int) num(f.get("checksum")));
        }
        return ipv4(f, u);
    }

    /** An ICMP echo request from the peer: {@code id} (1), {@code seq} (1), {@code data}. */
    public Pkt icmp(Map<String, ?> f) {
        f = NamedArgs.ICMP.check(f);
        return ipv4(f, Icmpv4Message.echoRequest((int) num(get(f, "id", 1)), (int) num(get(f, "seq", 1)),
                payload(f)));
    }

    private Pkt ipv4(Map<String, ?> f, dev.wirelab.emulator.wire.IpPayload payload) {
        Ipv4Packet.Builder ip = Ipv4Packet.builder().source(String.valueOf(get(f, "src", PEER_IP.toString())))
                .destination(String.valueOf(get(f, "dst", GUEST_IP.toString()))).payload(payload);
        if (f.containsKey("ttl")) {
            ip.ttl((int) num(f.get("ttl")));
        }
        if (f.containsKey("id")) {
            ip.identification((int) num(f.get("id")));
        }
        MacAddress dst = wire != null ? wire.guestMac() : MacAddress.of(Board.DEFAULT_MAC);
        return new Pkt(EthernetFrame.builder().source(PEER_MAC).destination(dst).payload(ip).encode());
    }

    private static byte[] payload(Map<String, ?> f) {
        Object d = f.get("data");
        if (d instanceof byte[] b) {
            return b.clone();
        }
        if (d != null) {
            return String.valueOf(d).getBytes(StandardCharsets.UTF_8);
        }
        if (f.containsKey("len")) {
            return new byte[(int) num(f.get("len"))];
        }
        return new byte[0];
    }

    static long flowKey(int peerPort, int guestPort) {
        return ((long) peerPort << 16) | guestPort;
    }

    Flow flow(int peerPort, int guestPort) {
        return flows.get(flowKey(peerPort, guestPort));
    }

    // ---- injecting ---------------------------------------------------------------

    /** Hands a frame to the guest now (as soon as it has a receive buffer). */
    public void inject(Object frame) {
        inject(Map.of(), frame);
    }

    /** {@code inject(frame, at: lab.ms(5))}: at an absolute virtual time (ticks); {@code after:} relative. */
    public void inject(Map<String, ?> options, Object frame) {
        options = NamedArgs.INJECT.check(options);
        byte[] bytes = frameBytes(frame);
        long at = getNow();
        if (options.containsKey("at")) {
            at = num(options.get("at"));
        }
        if (options.containsKey("after")) {
            at = getNow() + num(options.get("after"));
        }
        requireBoard();
        if (strict) {
            Expect.noUnexpected(this, ScriptLine.caller());
        }
        wire.injectAt(at, bytes);
    }

    static byte[] frameBytes(Object frame) {
        if (frame instanceof Pkt p) {
            return p.bytes();
        }
        if (frame instanceof byte[] b) {
            return b.clone();
        }
        if (frame instanceof EthernetFrame.Builder eb) {
            return eb.encode();
        }
        throw new IllegalArgumentException("inject takes a packet from lab.tcp/udp/icmp, a byte[] or an "
                + "EthernetFrame.builder(), not " + (frame == null ? "null" : frame.getClass().getSimpleName()));
    }

    // ---- expecting ------------------------------------------------------------------

    /**
     * Checks the next packet the guest sends to the peer (packetdrill style). Keys compare only
     * when given; {@code '*'} is a wildcard: {@code flags}, {@code seq}, {@code ack} (relative to the
     * guest's and the peer's ISNs), {@code win}, {@code data} (String), {@code len} (payload length),
     * {@code sport}, {@code dport}, {@code proto} ("tcp" default, "udp", "icmp"); timing:
     * {@code within} (ticks to wait, default 2 s), {@code at} + {@code tolerance} (when it must
     * arrive); {@code eventually: true} skips non-matching packets. Returns the packet; fails
     * (exit 1) with the script line, the expected and the actual packet otherwise.
     */
    public Packet expect(Map<String, ?> spec) {
        return Expect.expect(this, NamedArgs.EXPECT.check(spec), ScriptLine.caller());
    }

    /**
     * {@code expectNone(within: ms(50))}: runs for that span and fails (exit 1) if the guest sends the
     * peer any packet in it (or one no expect consumed yet).
     */
    public void expectNone(Map<String, ?> spec) {
        Expect.none(this, NamedArgs.EXPECT_NONE.check(spec), ScriptLine.caller());
    }

    /**
     * Strict mode (packetdrill's rule): a packet the guest sent the peer that no {@code expect} took
     * before the next {@code inject} fails the script. Off by default.
     */
    public void setStrict(boolean on) {
        strict = on;
    }

    public boolean getStrict() {
        return strict;
    }

    /** The most recent connection as the peer sees it (snd.una/nxt, rcv.nxt, the guest's window), or null. */
    public TcpView.Conn getConn() {
        return board == null ? null : TcpView.conn(this);
    }

    /** Runs the packetdrill script {@code file} against the booted guest ({@link dev.wirelab.emulator.pkt.PktRunner}). */
    public void pkt(Object file) {
        Path p = files.check(file instanceof Path q ? q : Path.of(String.valueOf(file)), "packetdrill script");
        dev.wirelab.emulator.pkt.PktRunner.runFile(this, p, dev.wirelab.emulator.pkt.PktRunner.Settings.defaults());
    }

    /** The next packet the guest sends to the peer within {@code ticks}, or null. */
    public FrameEvent nextOut(long ticks) {
        if (outboxRead >= outbox.size()) {
            long deadline = getNow() + ticks;
            runGuest(RunUntil.unbounded().time(deadline).when("a packet to the peer", () -> outboxRead < outbox.size()));
        }
        return outboxRead < outbox.size() ? outbox.get(outboxRead++) : null;
    }

    /** Packets the guest sent to the peer that no expect consumed yet. */
    public List<FrameEvent> getPending() {
        return List.copyOf(outbox.subList(outboxRead, outbox.size()));
    }

    // ---- wire plumbing ----------------------------------------------------------------

    /** Every frame on the wire, both directions, into the record. */
    private void onTap(long nanos, Direction d, byte[] frame) {
        Board b = board;
        long ticks = b == null ? 0 : b.clock().ticks();
        long insns = b == null ? 0 : b.clock().instructions();
        frames.add(new FrameEvent(ticks, insns, d == Direction.INBOUND ? "in" : "out", frame));
    }

    /** The scripted peer's side of a guest frame (its ARP is the wire's): the outbox and relative numbers. */
    private boolean peerFrame(Packet p, byte[] frame) {
        boolean mine = p.arp() == null && p.ipv4() != null && p.ipv4().destination().equals(PEER_IP);
        if (mine) {
            Board b = board;
            learnGuest(p);
            outbox.add(new FrameEvent(b == null ? 0 : b.clock().ticks(), b == null ? 0 : b.clock().instructions(), "out", frame));
        }
        return mine; // the run loop looks at the run's conditions after the whole wire has seen the frame
    }

    private void learnGuest(Packet p) {
        TcpSegment t = p.tcp();
        if (t == null) {
            return;
        }
        Flow f = flows.computeIfAbsent(flowKey(t.destinationPort(), t.sourcePort()), k -> new Flow());
        if (t.syn() && !f.guest.known()) {
            f.guest = RelativeSeq.from(t.seq());
        }
        f.guest = f.guest.sent(t.seq(), t.sequenceLength());
    }

    private LabState saveLabState() {
        Map<Long, Flow> fl = new LinkedHashMap<>();
        flows.forEach((k, v) -> fl.put(k, v.copy()));
        return new LabState(List.copyOf(frames), List.copyOf(outbox), outboxRead, fl);
    }

    private void restoreLabState(LabState s) {
        StateLists.restore(frames, s.frames()); // in place: a fuzz restore allocates nothing here
        StateLists.restore(outbox, s.outbox());
        outboxRead = s.outboxRead();
        flows = new HashMap<>();
        s.flows().forEach((k, v) -> flows.put(k, v.copy()));
    }

    List<FrameEvent> frames() {
        return frames;
    }

    // ---- disassembly -------------------------------------------------------------------

    /** {@code n} instructions from {@code address} (or a symbol), one per line with symbols. */
    public String disasm(Object where, int n) {
        long a = address(where);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            long pc = a + 4L * i;
            byte[] w;
            try {
                w = requireBoard().readVirtual(pc, 4);
            } catch (RuntimeException e) {
                sb.append(String.format("%016x  <unmapped>%n", pc));
                break;
            }
            int insn = (w[0] & 0xff) | (w[1] & 0xff) << 8 | (w[2] & 0xff) << 16 | (w[3] & 0xff) << 24;
            String s = board.symbols().describe(pc);
            sb.append(String.format("%016x %-24s %08x  %s%n", pc, s == null ? "" : "<" + s + ">", insn,
                    Disassembler.disassemble(insn, pc, board.symbols()::describe)));
        }
        return sb.toString();
    }

    public String disasm(Object where) {
        return disasm(where, 8);
    }

    // ---- helpers ---------------------------------------------------------------------

    static long num(Object o) {
        if (o instanceof Number n) {
            return n.longValue();
        }
        if (o instanceof String s) {
            String t = s.strip().replace("_", "");
            return t.startsWith("0x") || t.startsWith("0X") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        }
        throw new IllegalArgumentException("expected a number, got " + o);
    }

    static Object get(Map<String, ?> m, String key, Object otherwise) {
        Object v = m.get(key);
        return v == null ? otherwise : v;
    }

    static double dbl(Object o) {
        return o instanceof Number n ? n.doubleValue() : Double.parseDouble(String.valueOf(o));
    }

    static boolean truthy(Object o) {
        return o instanceof Boolean b ? b : o != null && !"false".equals(String.valueOf(o));
    }

    /** One status line: virtual time, instructions, guest state. */
    public String getStatus() {
        if (board == null) {
            return "no guest booted";
        }
        Panic p = getPanic();
        String state = p != null ? "panicked: " + p.title() : "at " + board.describe(board.pc());
        return String.format("t=%s insns=%,d %s", getTime(), getInstructions(), state);
    }

    @Override
    public String toString() {
        return "Lab[" + imageName + ", " + getStatus() + "]";
    }

    private void closeBoard() {
        finishCapture();
        if (bootSnapshot != null) {
            bootSnapshot.close();
            bootSnapshot = null;
        }
        if (board != null) {
            board.close();
            board = null;
            wire = null;
            agentHost = null;
        }
    }

    /** Writes the current boot's capture file, if one is being recorded; a write failure is kept for the caller. */
    private void finishCapture() {
        if (recorder == null) {
            return;
        }
        capturedFrames = recorder.frames();
        try {
            recorder.close();
            captureFailure = null;
        } catch (IOException e) {
            captureFailure = e;
        }
        recorder = null;
    }

    @Override
    public void close() {
        closeBoard();
    }
}
