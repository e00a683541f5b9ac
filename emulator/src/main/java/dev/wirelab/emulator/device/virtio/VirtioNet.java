package dev.wirelab.emulator.device.virtio;

import java.util.Objects;

import static dev.wirelab.emulator.device.virtio.Virtio.*;

/**
 * virtio-net (VIRTIO 1.2 section 5.1): one receive/transmit queue pair, no
 * offloads. Frames the guest transmits go to a host {@link FrameSink} with the
 * virtio-net header stripped; the host puts frames into the guest with
 * {@link #deliver}, which never blocks: without a posted receive buffer (or one
 * big enough) the frame is dropped and counted.
 *
 * <p>Header ({@code struct virtio_net_hdr}, 5.1.6): flags u8, gso_type u8,
 * hdr_len u16, gso_size u16, csum_start u16, csum_offset u16, and num_buffers
 * u16 when VIRTIO_F_VERSION_1 or VIRTIO_NET_F_MRG_RXBUF is negotiated: 12 bytes,
 * otherwise 10 (legacy). Received frames get an all-zero header (no checksum or
 * GSO offload offered), num_buffers = buffers used.
 */
public final class VirtioNet implements VirtioDevice {
    // Feature bits (5.1.3).
    public static final int F_MTU = 3;
    public static final int F_MAC = 5;
    public static final int F_MRG_RXBUF = 15;
    public static final int F_STATUS = 16;

    // Configuration space (5.1.4), little-endian.
    static final int CONFIG_MAC = 0;                   // u8[6]
    static final int CONFIG_STATUS = 6;                // le16
    static final int CONFIG_MAX_VIRTQUEUE_PAIRS = 8;   // le16
    static final int CONFIG_MTU = 10;                  // le16
    static final int CONFIG_LENGTH = 12;
    public static final int S_LINK_UP = 1;

    public static final int RX_QUEUE = 0;
    public static final int TX_QUEUE = 1;
    public static final int QUEUE_SIZE = 256;
    public static final int HEADER_LEGACY = 10;
    public static final int HEADER_MODERN = 12;
    static final int ETH_HEADER = 14;
    public static final int DEFAULT_MTU = 1500;
    /** Cap on receive buffers merged for one frame (MRG_RXBUF). */
    static final int MAX_MERGED = 64;

    /** The host side of the wire: every frame the guest transmits, header stripped. */
    @FunctionalInterface
    public interface FrameSink {
        void onTransmit(byte[] frame);
    }

    /** Saved device state (the queues live in the transport's state). */
    public record State(long mac, int mtu, boolean linkUp, long transmitted, long received, long rxDropped,
                        long txDropped) implements VirtioDevice.DeviceState {
    }

    private final byte[] mac;
    private final int mtu;
    private final boolean mergeable;
    private final FrameSink sink;
    private VirtioContext ctx;
    private boolean linkUp = true;
    private long transmitted;
    private long received;
    private long rxDropped;
    private long txDropped;

    /** MTU 1500, no mergeable receive buffers. */
    public VirtioNet(byte[] mac, FrameSink sink) {
        this(mac, DEFAULT_MTU, false, sink);
    }

    /**
     * @param mac       six bytes
     * @param mtu       offered as VIRTIO_NET_F_MTU; guest frames longer than mtu + 14 are dropped
     * @param mergeable offer VIRTIO_NET_F_MRG_RXBUF
     * @param sink      receives every frame the guest transmits
     */
    public VirtioNet(byte[] mac, int mtu, boolean mergeable, FrameSink sink) {
        if (mac.length != 6) {
            throw new IllegalArgumentException("MAC must be 6 bytes");
        }
        if (mtu < 68 || mtu > 65535 - ETH_HEADER) {
            throw new IllegalArgumentException("MTU " + mtu);
        }
        this.mac = mac.clone();
        this.mtu = mtu;
        this.mergeable = mergeable;
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public int deviceId() {
        return ID_NET;
    }

    @Override
    public String name() {
        return "virtio-net";
    }

    @Override
    public long deviceFeatures() {
        return bit(F_MAC) | bit(F_STATUS) | bit(F_MTU) | (mergeable ? bit(F_MRG_RXBUF) : 0);
    }

    @Override
    public int queueCount() {
        return 2;
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
        System.arraycopy(mac, 0, c, CONFIG_MAC, 6);
        c[CONFIG_STATUS] = (byte) (linkUp ? S_LINK_UP : 0);
        c[CONFIG_MAX_VIRTQUEUE_PAIRS] = 1;
        c[CONFIG_MTU] = (byte) mtu;
        c[CONFIG_MTU + 1] = (byte) (mtu >>> 8);
        return c;
    }

    @Override
    public void reset() {
        // Link state and counters are host-side facts; a driver reset does not change them.
    }

    /** 12 if VERSION_1 or MRG_RXBUF was negotiated, else 10 (5.1.6). */
    public int headerLength() {
        long f = ctx == null ? 0 : ctx.features();
        return has(f, F_VERSION_1) || has(f, F_MRG_RXBUF) ? HEADER_MODERN : HEADER_LEGACY;
    }

    public byte[] mac() {
        return mac.clone();
    }

    public int mtu() {
        return mtu;
    }

    public boolean linkUp() {
        return linkUp;
    }

    /** Sets VIRTIO_NET_S_LINK_UP; a change raises a configuration-change interrupt. */
    public void setLinkUp(boolean up) {
        if (up != linkUp) {
            linkUp = up;
            if (ctx != null) {
                ctx.configChanged();
            }
        }
    }

    public long transmitted() {
        return transmitted;
    }

    public long received() {
        return received;
    }

    public long rxDropped() {
        return rxDropped;
    }

    public long txDropped() {
        return txDropped;
    }

    // ------------------------------------------------------------- transmit

    @Override
    public void notify(int queue) {
        if (queue != TX_QUEUE) {
            return; // new receive buffers: picked up by the next deliver()
        }
        GuestMemory mem = ctx.memory();
        Virtqueue q = ctx.queue(TX_QUEUE);
        int hdr = headerLength();
        int limit = hdr + mtu + ETH_HEADER;
        // At most one queue's worth per notification: pending() caps it at the queue size.
        int n = q.pending(mem);
        boolean any = false;
        try {
            for (int i = 0; i < n; i++) {
                DescriptorChain c = q.pop(mem);
                if (c == null) {
                    break;
                }
                c.requireReadOnly();
                if (c.readableLength() > limit) {
                    ctx.log(String.format("queue %d head %d: transmitted frame of %d bytes exceeds MTU %d + 14 + header; dropped",
                            TX_QUEUE, c.head(), c.readableLength() - hdr, mtu));
                    txDropped++;
                } else if (c.readableLength() < hdr) {
                    ctx.log(String.format("queue %d head %d: transmit buffer of %d bytes shorter than the %d-byte header; dropped",
                            TX_QUEUE, c.head(), c.readableLength(), hdr));
                    txDropped++;
                } else {
                    byte[] frame = new byte[(int) c.readableLength() - hdr];
                    c.readReadable(mem, hdr, frame, 0, frame.length);
                    transmitted++;
                    sink.onTransmit(frame);
                }
                q.addUsed(mem, c.head(), 0);
                any = true;
            }
        } finally {
            if (any) {
                ctx.usedBuffers(q);
            }
        }
    }

    // -------------------------------------------------------------- receive

    /** Receive buffers the guest has posted and the device has not used (0 if the device is not live). */
    public int rxBuffersAvailable() {
        if (ctx == null || !ctx.live() || !ctx.queue(RX_QUEUE).ready()) {
            return 0;
        }
        try {
            return ctx.queue(RX_QUEUE).pending(ctx.memory());
        } catch (VirtioException | GuestMemoryException e) {
            ctx.fail(e.getMessage());
            return 0;
        }
    }

    /**
     * Puts {@code frame} (an Ethernet frame without FCS) into the guest's receive queue and raises the
     * used-buffer interrupt. Returns false, counting a drop, if the device is not live, the link is down,
     * no receive buffer is posted or the buffer is too small; never blocks.
     */
    public boolean deliver(byte[] frame) {
        Objects.requireNonNull(frame, "frame");
        if (ctx == null || !ctx.live() || !linkUp || !ctx.queue(RX_QUEUE).ready()) {
            rxDropped++;
            return false;
        }
        GuestMemory mem = ctx.memory();
        Virtqueue q = ctx.queue(RX_QUEUE);
        try {
            boolean ok = mergeableNegotiated() ? deliverMerged(mem, q, frame) : deliverOne(mem, q, frame);
            if (ok) {
                received++;
            } else {
                rxDropped++;
            }
            return ok;
        } catch (VirtioException | GuestMemoryException e) {
            ctx.fail(e.getMessage());
            rxDropped++;
            return false;
        }
    }

    private boolean mergeableNegotiated() {
        return has(ctx.features(), F_MRG_RXBUF);
    }

    private byte[] header(int numBuffers) {
        byte[] h = new byte[headerLength()];
        if (h.length == HEADER_MODERN) {
            h[10] = (byte) numBuffers;
            h[11] = (byte) (numBuffers >>> 8);
        }
        return h;
    }

    private boolean deliverOne(GuestMemory mem, Virtqueue q, byte[] frame) {
        DescriptorChain c = q.pop(mem);
        if (c == null) {
            return false;
        }
        c.requireWriteOnly();
        byte[] h = header(1);
        if (c.writableLength() < h.length + frame.length) {
            ctx.log(String.format("queue %d head %d: receive buffer of %d bytes too small for %d-byte frame; frame dropped",
                    RX_QUEUE, c.head(), c.writableLength(), frame.length));
            q.addUsed(mem, c.head(), 0); // give the buffer back so the queue keeps moving
            ctx.usedBuffers(q);
            return false;
        }
        c.writeWritable(mem, 0, h, 0, h.length);
        c.writeWritable(mem, h.length, frame, 0, frame.length);
        q.addUsed(mem, c.head(), h.length + frame.length);
        ctx.usedBuffers(q);
        return true;
    }

    /** MRG_RXBUF (5.1.6.3.2): spread header + frame over as many buffers as needed, num_buffers in the first. */
    private boolean deliverMerged(GuestMemory mem, Virtqueue q, byte[] frame) {
        int hdr = headerLength();
        long total = hdr + (long) frame.length;
        int avail = Math.min(q.pending(mem), MAX_MERGED);
        DescriptorChain[] chains = new DescriptorChain[avail];
        long capacity = 0;
        int n = 0;
        while (capacity < total && n < avail) {
            DescriptorChain c = q.pop(mem);
            c.requireWriteOnly();
            chains[n++] = c;
            capacity += c.writableLength();
        }
        if (capacity < total) {
            q.undoPop(mem, n); // nothing written: the buffers stay posted
            return false;
        }
        byte[] all = new byte[(int) total];
        System.arraycopy(header(n), 0, all, 0, hdr);
        System.arraycopy(frame, 0, all, hdr, frame.length);
        int off = 0;
        for (int i = 0; i < n; i++) {
            int w = chains[i].writeWritable(mem, 0, all, off, all.length - off);
            q.addUsed(mem, chains[i].head(), w);
            off += w;
        }
        ctx.usedBuffers(q);
        return true;
    }

    // ------------------------------------------------------------- snapshot

    private long mac48() {
        long m = 0;
        for (byte b : mac) {
            m = (m << 8) | (b & 0xff);
        }
        return m;
    }

    @Override
    public State save() {
        return new State(mac48(), mtu, linkUp, transmitted, received, rxDropped, txDropped);
    }

    @Override
    public void restore(DeviceState state) {
        if (!(state instanceof State s)) {
            throw new IllegalArgumentException("not a virtio-net state: " + state);
        }
        if (s.mac() != mac48() || s.mtu() != mtu) {
            throw new IllegalArgumentException("snapshot is for a different virtio-net (MAC or MTU differs)");
        }
        if (s.transmitted() < 0 || s.received() < 0 || s.rxDropped() < 0 || s.txDropped() < 0) {
            throw new IllegalArgumentException("snapshot has negative counters");
        }
        linkUp = s.linkUp();
        transmitted = s.transmitted();
        received = s.received();
        rxDropped = s.rxDropped();
        txDropped = s.txDropped();
    }
}
