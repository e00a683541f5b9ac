package dev.wirelab.emulator.capture;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Hand-assembles pcap and pcapng bytes in either byte order (test fixture, independent of the writer). */
final class Blocks {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteOrder order;

    Blocks(ByteOrder order) {
        this.order = order;
    }

    private ByteBuffer buf(int n) {
        return ByteBuffer.allocate(n).order(order);
    }

    Blocks raw(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    /** A pcapng block: type, length, body (padded to 4), length. */
    Blocks block(int type, byte[] body) {
        int padded = (body.length + 3) & ~3;
        ByteBuffer b = buf(12 + padded);
        b.putInt(type).putInt(12 + padded).put(body).position(8 + padded);
        b.putInt(12 + padded);
        return raw(b.array());
    }

    Blocks shb() {
        ByteBuffer b = buf(16);
        b.putInt(0x1a2b3c4d).putShort((short) 1).putShort((short) 0).putLong(-1);
        return block(0x0a0d0d0a, b.array());
    }

    /** IDB with an optional if_tsresol (negative: none). */
    Blocks idb(int linkType, int tsresol) {
        ByteBuffer b = buf(tsresol >= 0 ? 20 : 8);
        b.putShort((short) linkType).putShort((short) 0).putInt(65535);
        if (tsresol >= 0) {
            b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
            b.putInt(0);
        }
        return block(1, b.array());
    }

    /** IDB with if_name, if_tsresol and if_tsoffset options. */
    Blocks idb(int linkType, String name, int tsresol, long tsoffsetSeconds) {
        byte[] n = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int np = (n.length + 3) & ~3;
        ByteBuffer b = buf(8 + 4 + np + 8 + 12 + 4);
        b.putShort((short) linkType).putShort((short) 0).putInt(0);
        b.putShort((short) 2).putShort((short) n.length).put(n).position(12 + np);
        b.putShort((short) 9).putShort((short) 1).put((byte) tsresol).put(new byte[3]);
        b.putShort((short) 14).putShort((short) 8).putLong(tsoffsetSeconds);
        b.putInt(0);
        return block(1, b.array());
    }

    Blocks epb(int iface, long ts, byte[] data) {
        int padded = (data.length + 3) & ~3;
        ByteBuffer b = buf(20 + padded);
        b.putInt(iface).putInt((int) (ts >>> 32)).putInt((int) ts).putInt(data.length).putInt(data.length).put(data);
        return block(6, b.array());
    }

    Blocks spb(byte[] data) {
        int padded = (data.length + 3) & ~3;
        ByteBuffer b = buf(4 + padded);
        b.putInt(data.length).put(data);
        return block(3, b.array());
    }

    /** Classic pcap file header. */
    Blocks pcapHeader(boolean nanos, int linkType) {
        ByteBuffer b = buf(24);
        b.putInt(nanos ? 0xa1b23c4d : 0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0)
                .putInt(65535).putInt(linkType);
        return raw(b.array());
    }

    Blocks pcapRecord(long sec, long frac, byte[] data) {
        ByteBuffer b = buf(16 + data.length);
        b.putInt((int) sec).putInt((int) frac).putInt(data.length).putInt(data.length).put(data);
        return raw(b.array());
    }

    byte[] bytes() {
        return out.toByteArray();
    }
}
