package dev.wirelab.emulator.lab;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Guest virtual memory through the guest's page tables (physical while the MMU is off). */
public final class Mem {
    private final Lab lab;

    Mem(Lab lab) {
        this.lab = lab;
    }

    /** {@code n} bytes at {@code address} (a number or a symbol name). */
    public byte[] read(Object address, int n) {
        if (n < 0 || n > (64 << 20)) {
            throw new IllegalArgumentException("read length " + n + " out of range (0..64 MiB)");
        }
        long a = lab.address(address);
        try {
            return lab.requireBoard().readVirtual(a, n);
        } catch (dev.wirelab.emulator.unicorn.UnicornException e) {
            throw new IllegalArgumentException(String.format("cannot read %d bytes at 0x%x: not mapped", n, a), e);
        }
    }

    /** Writes bytes (a byte[] or a String's UTF-8) at {@code address}. */
    public void write(Object address, Object data) {
        byte[] b = data instanceof byte[] bytes ? bytes : String.valueOf(data).getBytes(StandardCharsets.UTF_8);
        long a = lab.address(address);
        try {
            lab.requireBoard().writeVirtual(a, b);
        } catch (dev.wirelab.emulator.unicorn.UnicornException e) {
            throw new IllegalArgumentException(String.format("cannot write %d bytes at 0x%x: not mapped", b.length, a), e);
        }
    }

    private ByteBuffer le(Object address, int n) {
        return ByteBuffer.wrap(read(address, n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    public int u8(Object address) {
        return read(address, 1)[0] & 0xff;
    }

    public int u16(Object address) {
        return le(address, 2).getShort() & 0xffff;
    }

    public long u32(Object address) {
        return le(address, 4).getInt() & 0xffffffffL;
    }

    public long u64(Object address) {
        return le(address, 8).getLong();
    }

    /** A NUL-terminated string (at most {@code max} bytes). */
    public String string(Object address, int max) {
        byte[] b = read(address, max);
        int n = 0;
        while (n < b.length && b[n] != 0) {
            n++;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    /** A hexdump of {@code n} bytes. */
    public String dump(Object address, int n) {
        long a = lab.address(address);
        byte[] b = read(a, n);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < b.length; i += 16) {
            sb.append(String.format("%016x ", a + i));
            StringBuilder ascii = new StringBuilder();
            for (int j = 0; j < 16; j++) {
                if (i + j < b.length) {
                    int v = b[i + j] & 0xff;
                    sb.append(String.format(" %02x", v));
                    ascii.append(v >= 32 && v < 127 ? (char) v : '.');
                } else {
                    sb.append("   ");
                }
            }
            sb.append("  ").append(ascii).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "guest memory: read(addr, n), write(addr, bytes), u8/u16/u32/u64(addr), string(addr, max), dump(addr, n)";
    }
}
