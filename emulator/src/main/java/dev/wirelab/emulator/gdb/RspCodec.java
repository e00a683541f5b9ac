package dev.wirelab.emulator.gdb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The GDB Remote Serial Protocol framing, without I/O: bytes in, {@link RspInput}s
 * out ({@link #feed}); payloads in, framed bytes out ({@link #frame}).
 *
 * <p>A packet is {@code $payload#cc} with {@code cc} the modulo-256 sum of the
 * payload bytes as sent. Inside the payload {@code '}'} escapes the next byte
 * (XOR 0x20) and {@code X*n} repeats X {@code n - 29} more times. Anything a
 * hostile peer sends — garbage between packets, a payload beyond
 * {@link #maxPayload}, a bad repeat count, a non-hex checksum — becomes an input
 * the session answers, never an exception, and never grows memory past the
 * limit.
 */
public final class RspCodec {
    /** The payload limit we advertise ({@code PacketSize}) and enforce on input. */
    public static final int DEFAULT_MAX_PAYLOAD = 0x4000;

    private enum State { IDLE, PAYLOAD, ESCAPE, REPEAT, CHECKSUM1, CHECKSUM2 }

    private final int maxPayload;
    private State state = State.IDLE;
    private final ByteArrayOutputStream payload = new ByteArrayOutputStream();
    private int sum;
    private int checksumHigh;
    private int lastByte = -1;
    private String malformed;

    public RspCodec() {
        this(DEFAULT_MAX_PAYLOAD);
    }

    public RspCodec(int maxPayload) {
        if (maxPayload < 16) {
            throw new IllegalArgumentException("packet limit too small: " + maxPayload);
        }
        this.maxPayload = maxPayload;
    }

    public int maxPayload() {
        return maxPayload;
    }

    /** True while a packet has started but not ended (a disconnect now is a disconnect mid-packet). */
    public boolean inPacket() {
        return state != State.IDLE;
    }

    /** Decodes {@code length} bytes from {@code data}; returns what completed, in order. */
    public List<RspInput> feed(byte[] data, int offset, int length) {
        List<RspInput> out = new ArrayList<>();
        for (int i = offset; i < offset + length; i++) {
            step(data[i] & 0xff, out);
        }
        return out;
    }

    public List<RspInput> feed(byte[] data) {
        return feed(data, 0, data.length);
    }

    private void step(int b, List<RspInput> out) {
        switch (state) {
            case IDLE -> {
                switch (b) {
                    case '$' -> begin();
                    case '+' -> out.add(new RspInput.Ack());
                    case '-' -> out.add(new RspInput.Nack());
                    case 0x03 -> out.add(new RspInput.Interrupt());
                    default -> { } // noise between packets is ignored, as GDB itself does
                }
            }
            case PAYLOAD -> {
                if (b == '#') {
                    state = State.CHECKSUM1;
                    return;
                }
                if (b == '$') { // a new packet started inside this one: the first was cut short
                    out.add(new RspInput.Malformed("packet restarted before its end"));
                    begin();
                    return;
                }
                sum += b;
                if (b == '}') {
                    state = State.ESCAPE;
                } else if (b == '*') {
                    state = State.REPEAT;
                } else {
                    append(b);
                }
            }
            case ESCAPE -> {
                sum += b;
                append(b ^ 0x20);
                state = State.PAYLOAD;
            }
            case REPEAT -> {
                sum += b;
                int n = b - 29;
                if (lastByte < 0 || n < 3 || b == '#' || b == '$') {
                    fail("bad run-length count " + b);
                } else {
                    for (int k = 0; k < n; k++) {
                        append(lastByte);
                    }
                }
                state = State.PAYLOAD;
            }
            case CHECKSUM1 -> {
                checksumHigh = hex(b);
                state = State.CHECKSUM2;
            }
            case CHECKSUM2 -> {
                int low = hex(b);
                state = State.IDLE;
                if (checksumHigh < 0 || low < 0) {
                    out.add(new RspInput.Malformed("checksum is not two hex digits"));
                } else if (malformed != null) {
                    out.add(new RspInput.Malformed(malformed));
                } else if (((checksumHigh << 4) | low) != (sum & 0xff)) {
                    out.add(new RspInput.BadChecksum(sum & 0xff, (checksumHigh << 4) | low));
                } else {
                    out.add(new RspInput.Packet(payload.toByteArray()));
                }
                payload.reset();
                malformed = null;
            }
        }
    }

    private void begin() {
        state = State.PAYLOAD;
        payload.reset();
        sum = 0;
        lastByte = -1;
        malformed = null;
    }

    private void append(int b) {
        lastByte = b;
        if (malformed != null) {
            return;
        }
        if (payload.size() >= maxPayload) {
            fail("packet longer than " + maxPayload + " bytes");
            return;
        }
        payload.write(b);
    }

    private void fail(String why) {
        if (malformed == null) {
            malformed = why;
            payload.reset(); // nothing more is kept: memory stays bounded whatever follows
        }
    }

    private static int hex(int c) {
        return Character.digit(c, 16);
    }

    /** Frames a reply: escapes {@code $ # } *}, appends the checksum. */
    public static byte[] frame(byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 4);
        out.write('$');
        int sum = 0;
        for (byte value : payload) {
            int b = value & 0xff;
            if (b == '$' || b == '#' || b == '}' || b == '*') {
                out.write('}');
                out.write(b ^ 0x20);
                sum += '}' + (b ^ 0x20);
            } else {
                out.write(b);
                sum += b;
            }
        }
        out.write('#');
        out.write(Character.forDigit((sum >> 4) & 0xf, 16));
        out.write(Character.forDigit(sum & 0xf, 16));
        return out.toByteArray();
    }

    public static byte[] frame(String payload) {
        return frame(payload.getBytes(StandardCharsets.ISO_8859_1));
    }
}
