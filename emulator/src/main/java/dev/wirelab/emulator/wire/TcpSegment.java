package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * A TCP segment (RFC 9293 §3.1). {@code raw} is the whole segment as parsed (header
 * and payload) — the checksum is verified against it with the IP layer's
 * addresses ({@link #expectedChecksum}). {@code flags} holds the low 12 bits of
 * bytes 12–13 ({@link TcpFlags}).
 */
public record TcpSegment(int sourcePort, int destinationPort, SeqNumber seq, SeqNumber ack, int dataOffset, int flags,
        int window, int checksum, int urgentPointer, List<TcpOption> options, Bytes optionBytes, Bytes payload,
        Bytes raw) implements IpPayload {
    static final String LAYER = "tcp";
    public static final int MIN_HEADER = 20;

    public TcpSegment {
        options = List.copyOf(options);
    }

    public static TcpSegment parse(Bytes data) throws ParseException {
        return parse(data, null);
    }

    public static TcpSegment parse(Bytes data, List<Malformation> problems) throws ParseException {
        int base = data.origin();
        if (data.length() < MIN_HEADER) {
            throw ParseException.of(LAYER, "header", base, "TCP header needs 20 bytes, got " + data.length());
        }
        int offFlags = data.u16(12);
        int doff = offFlags >>> 12;
        if (doff < 5) {
            throw ParseException.of(LAYER, "dataOffset", base + 12, "data offset " + doff + " words, minimum is 5");
        }
        int hl = doff * 4;
        if (hl > data.length()) {
            throw ParseException.of(LAYER, "dataOffset", base + 12,
                    "data offset " + hl + " bytes but segment has only " + data.length());
        }
        Bytes optionBytes = data.slice(MIN_HEADER, hl - MIN_HEADER);
        return new TcpSegment(data.u16(0), data.u16(2), new SeqNumber(data.s32(4)), new SeqNumber(data.s32(8)), doff,
                offFlags & 0xfff, data.u16(14), data.u16(16), data.u16(18), TcpOption.parseAll(optionBytes, problems),
                optionBytes, data.slice(hl), data);
    }

    public int headerLength() {
        return dataOffset * 4;
    }

    public boolean has(int flag) {
        return (flags & flag) == flag;
    }

    public boolean syn() {
        return (flags & TcpFlags.SYN) != 0;
    }

    public boolean fin() {
        return (flags & TcpFlags.FIN) != 0;
    }

    public boolean rst() {
        return (flags & TcpFlags.RST) != 0;
    }

    public boolean isAck() {
        return (flags & TcpFlags.ACK) != 0;
    }

    /** Sequence space this segment occupies: payload length plus one each for SYN and FIN. */
    public long sequenceLength() {
        return payload.length() + (syn() ? 1 : 0) + (fin() ? 1 : 0);
    }

    /** The first option of a type, or null. */
    public <T extends TcpOption> T option(Class<T> type) {
        for (TcpOption o : options) {
            if (type.isInstance(o)) {
                return type.cast(o);
            }
        }
        return null;
    }

    /** The checksum the segment's bytes call for under this pseudo-header. */
    public int expectedChecksum(IpAddress source, IpAddress destination) {
        return Checksum.transportExpected(source, destination, IpProtocol.TCP, raw, 16);
    }

    public boolean checksumOk(IpAddress source, IpAddress destination) {
        return Checksum.transport(source, destination, IpProtocol.TCP, raw) == 0;
    }

    @Override
    public int ipProtocol() {
        return IpProtocol.TCP;
    }

    /** The parsed segment's bytes, unchanged (the checksum is not recomputed). */
    @Override
    public byte[] encode(IpAddress source, IpAddress destination) {
        return raw.toArray();
    }

    /**
     * A builder that starts from this segment's fields and payload. The option area
     * starts as this segment's exact option bytes (malformed options and non-zero
     * padding included); calling {@code option(...)}/{@code options(...)} on the
     * builder replaces it. Data offset and checksum are recomputed.
     */
    public Builder toBuilder() {
        return new Builder().sourcePort(sourcePort).destinationPort(destinationPort).seq(seq).ack(ack).flags(flags)
                .window(window).urgentPointer(urgentPointer).rawOptions(optionBytes.toArray()).payload(payload.toArray());
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds TCP segments. Data offset and checksum (pseudo-header included) are
     * computed unless overridden; options are padded with zeros to a multiple of 4.
     */
    public static final class Builder implements IpPayload {
        private int sourcePort;
        private int destinationPort;
        private SeqNumber seq = SeqNumber.ZERO;
        private SeqNumber ack = SeqNumber.ZERO;
        private int flags;
        private int window = 65535;
        private int urgentPointer;
        private final List<TcpOption> options = new ArrayList<>();
        private byte[] rawOptions;
        private byte[] payload = new byte[0];
        private Integer dataOffset;
        private Integer checksum;

        public Builder sourcePort(int v) {
            Put.checkRange("sourcePort", v, 0, 0xffff);
            sourcePort = v;
            return this;
        }

        public Builder destinationPort(int v) {
            Put.checkRange("destinationPort", v, 0, 0xffff);
            destinationPort = v;
            return this;
        }

        public Builder ports(int source, int destination) {
            return sourcePort(source).destinationPort(destination);
        }

        public Builder seq(SeqNumber v) {
            seq = v;
            return this;
        }

        public Builder seq(long v) {
            return seq(SeqNumber.of(v));
        }

        public Builder ack(SeqNumber v) {
            ack = v;
            return this;
        }

        public Builder ack(long v) {
            return ack(SeqNumber.of(v));
        }

        /** All 12 flag bits ({@link TcpFlags} constants or'ed). */
        public Builder flags(int v) {
            Put.checkRange("flags", v, 0, 0xfff);
            flags = v;
            return this;
        }

        /** Flags in tcpdump notation: "S", "S.", "P.", "F.", "R". */
        public Builder flags(String v) {
            return flags(TcpFlags.parse(v));
        }

        public Builder window(int v) {
            Put.checkRange("window", v, 0, 0xffff);
            window = v;
            return this;
        }

        public Builder urgentPointer(int v) {
            Put.checkRange("urgentPointer", v, 0, 0xffff);
            urgentPointer = v;
            return this;
        }

        public Builder option(TcpOption o) {
            options.add(o);
            rawOptions = null;
            return this;
        }

        public Builder options(TcpOption... os) {
            return options(List.of(os));
        }

        public Builder options(List<TcpOption> os) {
            options.clear();
            options.addAll(os);
            rawOptions = null;
            return this;
        }

        /** Option area bytes written verbatim (fuzzing); padded with zeros to a multiple of 4. */
        public Builder rawOptions(byte[] v) {
            rawOptions = v.clone();
            return this;
        }

        public Builder payload(byte[] v) {
            payload = v.clone();
            return this;
        }

        /** Overrides the data offset (in 32-bit words), even to a wrong value. */
        public Builder dataOffset(int v) {
            Put.checkRange("dataOffset", v, 0, 15);
            dataOffset = v;
            return this;
        }

        /** Overrides the checksum, even to a wrong value. */
        public Builder checksum(int v) {
            Put.checkRange("checksum", v, 0, 0xffff);
            checksum = v;
            return this;
        }

        @Override
        public int ipProtocol() {
            return IpProtocol.TCP;
        }

        private int optionLength() {
            if (rawOptions != null) {
                return rawOptions.length;
            }
            int n = 0;
            for (TcpOption o : options) {
                n += o.length();
            }
            return n;
        }

        @Override
        public byte[] encode(IpAddress source, IpAddress destination) {
            int optLen = (optionLength() + 3) & ~3;
            if (optLen > 40) {
                throw new IllegalArgumentException("TCP options take " + optLen + " bytes, at most 40 fit");
            }
            int hl = MIN_HEADER + optLen;
            byte[] a = new byte[hl + payload.length];
            Put.u16(a, 0, sourcePort);
            Put.u16(a, 2, destinationPort);
            Put.u32(a, 4, seq.value());
            Put.u32(a, 8, ack.value());
            Put.u16(a, 12, (dataOffset != null ? dataOffset : hl / 4) << 12 | flags);
            Put.u16(a, 14, window);
            Put.u16(a, 18, urgentPointer);
            if (rawOptions != null) {
                System.arraycopy(rawOptions, 0, a, MIN_HEADER, rawOptions.length);
            } else {
                int p = MIN_HEADER;
                for (TcpOption o : options) {
                    o.write(a, p);
                    p += o.length();
                }
            }
            System.arraycopy(payload, 0, a, hl, payload.length);
            int sum = checksum != null ? checksum
                    : Checksum.finish(Checksum.add(Checksum.pseudoHeader(source, destination, IpProtocol.TCP, a.length), a, 0, a.length));
            Put.u16(a, 16, sum);
            return a;
        }

        /** Encodes with the given addresses (for the checksum) and parses the result. */
        public TcpSegment build(IpAddress source, IpAddress destination) {
            try {
                return parse(Bytes.wrap(encode(source, destination)));
            } catch (ParseException e) {
                throw new IllegalStateException("builder overrides produced an unparsable segment: " + e.getMessage(), e);
            }
        }
    }

    /** tcpdump-like: {@code [S.] seq 1000 ack 2001 win 65535 <mss 1460,sackOK> length 0}, without ports. */
    String describe() {
        StringBuilder sb = new StringBuilder(64);
        sb.append('[').append(TcpFlags.format(flags)).append("] seq ").append(seq);
        if (isAck()) {
            sb.append(" ack ").append(ack);
        }
        sb.append(" win ").append(window);
        int shown = options.size();
        if (shown > 0 && options.get(shown - 1) instanceof TcpOption.EndOfList) {
            shown--; // a final end-of-list is padding; tcpdump does not show it either
        }
        if (shown > 0) {
            sb.append(" <");
            for (int i = 0; i < shown; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(options.get(i));
            }
            sb.append('>');
        }
        if (!payload.isEmpty()) {
            sb.append(" length ").append(payload.length());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return sourcePort + " > " + destinationPort + " " + describe();
    }
}
