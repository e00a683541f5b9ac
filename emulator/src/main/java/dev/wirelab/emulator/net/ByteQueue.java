package dev.wirelab.emulator.net;

import java.util.Arrays;

/** A growable FIFO of bytes (send and receive buffers of a connection). */
final class ByteQueue {
    private byte[] data;
    private int head;
    private int tail;

    ByteQueue() {
        this(new byte[0]);
    }

    ByteQueue(byte[] initial) {
        data = initial.clone();
        tail = data.length;
    }

    int length() {
        return tail - head;
    }

    void append(byte[] b, int off, int len) {
        if (len == 0) {
            return;
        }
        if (tail + len > data.length) {
            int live = length();
            if (live + len <= data.length / 2) {
                System.arraycopy(data, head, data, 0, live);
            } else {
                byte[] bigger = new byte[Math.max(live + len, Math.max(4096, data.length * 2))];
                System.arraycopy(data, head, bigger, 0, live);
                data = bigger;
            }
            head = 0;
            tail = live;
        }
        System.arraycopy(b, off, data, tail, len);
        tail += len;
    }

    void append(byte[] b) {
        append(b, 0, b.length);
    }

    /** Bytes [from, from + len) counted from the head. */
    byte[] copy(long from, int len) {
        if (from < 0 || len < 0 || from + len > length()) {
            throw new IndexOutOfBoundsException(from + "+" + len + " of " + length());
        }
        return Arrays.copyOfRange(data, head + (int) from, head + (int) from + len);
    }

    void drop(long n) {
        if (n < 0 || n > length()) {
            throw new IndexOutOfBoundsException("drop " + n + " of " + length());
        }
        head += (int) n;
        if (head == tail) {
            head = 0;
            tail = 0;
        }
    }

    byte[] takeAll() {
        byte[] r = toArray();
        head = 0;
        tail = 0;
        return r;
    }

    /** An independent queue with the same bytes (one copy: snapshots of sockets). */
    ByteQueue copy() {
        return new ByteQueue(this);
    }

    private ByteQueue(ByteQueue o) {
        data = o.toArray();
        tail = data.length;
    }

    byte[] toArray() {
        return Arrays.copyOfRange(data, head, tail);
    }
}
