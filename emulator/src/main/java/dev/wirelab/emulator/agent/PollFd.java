package dev.wirelab.emulator.agent;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** One {@code struct pollfd} (8 bytes: int fd, short events, short revents, little-endian). */
public record PollFd(int fd, int events, int revents) {
    public static final int SIZE = 8;

    public static PollFd of(int fd, int events) {
        return new PollFd(fd, events, 0);
    }

    public static byte[] encode(List<PollFd> fds) {
        ByteBuffer b = ByteBuffer.allocate(fds.size() * SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (PollFd p : fds) {
            b.putInt(p.fd).putShort((short) p.events).putShort((short) p.revents);
        }
        return b.array();
    }

    public static List<PollFd> decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<PollFd> out = new ArrayList<>();
        while (b.remaining() >= SIZE) {
            out.add(new PollFd(b.getInt(), b.getShort() & 0xffff, b.getShort() & 0xffff));
        }
        return out;
    }
}
