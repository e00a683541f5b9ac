package dev.wirelab.emulator.device.virtio;

import static dev.wirelab.emulator.device.virtio.Virtio.ID_ENTROPY;

/**
 * virtio-rng / entropy device (VIRTIO 1.2 section 5.4): one request queue of
 * device-writable buffers, filled from a deterministic stream so that runs
 * replay exactly. The stream is SplitMix64 keyed by the constructor's seed:
 * the same seed gives the same bytes in the same order, whatever the buffer
 * sizes, a different seed a different stream. It is not cryptographic — it is
 * not meant to be.
 *
 * <p>At most {@link #MAX_PER_REQUEST} bytes go into one request (the used
 * length says how many, as 5.4.6.1 allows), so a huge posted buffer costs
 * bounded work.
 */
public final class VirtioRng implements VirtioDevice {
    public static final int QUEUE_SIZE = 64;
    public static final int MAX_PER_REQUEST = 64 * 1024;
    private static final long GOLDEN = 0x9E37_79B9_7F4A_7C15L;

    /** Saved stream position: bytes produced so far since the seed. */
    public record State(long seed, long produced) implements VirtioDevice.DeviceState {
    }

    private final long seed;
    private VirtioContext ctx;
    private long produced;

    public VirtioRng(long seed) {
        this.seed = seed;
    }

    @Override
    public int deviceId() {
        return ID_ENTROPY;
    }

    @Override
    public String name() {
        return "virtio-rng";
    }

    @Override
    public long deviceFeatures() {
        return 0;
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
        return new byte[0];
    }

    @Override
    public void reset() {
        // The stream continues across driver resets: a reset is an event in the run, not a rewind.
    }

    public long seed() {
        return seed;
    }

    /** SplitMix64 output for word {@code i} of the stream (a pure function of seed and position). */
    static long word(long seed, long i) {
        long z = seed + (i + 1) * GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    /** The next {@code n} bytes of the stream. */
    byte[] next(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            long p = produced + i;
            b[i] = (byte) (word(seed, p >>> 3) >>> (8 * (p & 7)));
        }
        produced += n;
        return b;
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
                c.requireWriteOnly();
                int len = (int) Math.min(c.writableLength(), MAX_PER_REQUEST);
                byte[] b = next(len);
                c.writeWritable(mem, 0, b, 0, len);
                q.addUsed(mem, c.head(), len);
                any = true;
            }
        } finally {
            if (any) {
                ctx.usedBuffers(q);
            }
        }
    }

    @Override
    public State save() {
        return new State(seed, produced);
    }

    @Override
    public void restore(DeviceState state) {
        if (!(state instanceof State s)) {
            throw new IllegalArgumentException("not a virtio-rng state: " + state);
        }
        if (s.seed() != seed) {
            throw new IllegalArgumentException("snapshot is for seed " + s.seed() + ", device has " + seed);
        }
        if (s.produced() < 0) {
            throw new IllegalArgumentException("snapshot stream position " + s.produced());
        }
        produced = s.produced();
    }
}
