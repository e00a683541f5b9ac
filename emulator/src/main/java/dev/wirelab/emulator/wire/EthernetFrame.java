package dev.wirelab.emulator.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * An Ethernet II frame (no FCS): destination, source, zero or more 802.1Q /
 * 802.1ad tags, the EtherType of the payload, and the payload (including any
 * padding to the 60-byte minimum — the network layer's length field says what
 * is padding).
 */
public record EthernetFrame(MacAddress destination, MacAddress source, List<VlanTag> vlanTags, int etherType,
        Bytes payload) {
    static final String LAYER = "eth";
    public static final int HEADER_LENGTH = 14;
    /** Frames shorter than this (without FCS) are padded by {@link Builder} unless told not to. */
    public static final int MIN_LENGTH = 60;
    private static final int MAX_TAGS = 8;

    public EthernetFrame {
        vlanTags = List.copyOf(vlanTags);
    }

    /** An IEEE 802.1Q tag: TPID (0x8100 or 0x88a8), priority, drop-eligible, VLAN id. */
    public record VlanTag(int tpid, int priority, boolean dropEligible, int vlanId) {
        @Override
        public String toString() {
            return "vlan " + vlanId + (priority != 0 ? " p " + priority : "");
        }
    }

    public static EthernetFrame parse(Bytes data) throws ParseException {
        int base = data.origin();
        if (data.length() < HEADER_LENGTH) {
            throw ParseException.of(LAYER, "header", base,
                    "frame of " + data.length() + " bytes is shorter than the 14-byte Ethernet header");
        }
        MacAddress dst = MacAddress.read(data, 0);
        MacAddress src = MacAddress.read(data, 6);
        int pos = 12;
        int type = data.u16(pos);
        List<VlanTag> tags = List.of();
        while (type == EtherType.VLAN || type == EtherType.QINQ) {
            if (data.length() < pos + 6) {
                throw ParseException.of(LAYER, "vlan", base + pos,
                        "802.1Q tag needs 4 more bytes at offset " + (pos + 2) + " but frame has " + data.length());
            }
            if (tags.size() >= MAX_TAGS) {
                throw ParseException.of(LAYER, "vlan", base + pos, "more than " + MAX_TAGS + " stacked VLAN tags");
            }
            if (tags.isEmpty()) {
                tags = new ArrayList<>(2);
            }
            int tci = data.u16(pos + 2);
            tags.add(new VlanTag(type, tci >>> 13, (tci & 0x1000) != 0, tci & 0xfff));
            pos += 4;
            type = data.u16(pos);
        }
        return new EthernetFrame(dst, src, tags, type, data.slice(pos + 2));
    }

    public static EthernetFrame parse(byte[] frame) throws ParseException {
        return parse(Bytes.of(frame));
    }

    public int headerLength() {
        return HEADER_LENGTH + 4 * vlanTags.size();
    }

    /**
     * A builder with this frame's addresses, tags, EtherType and payload (replace the
     * payload to rewrite it). It pads to 60 bytes only if this frame was at least that
     * long, so unpadded short frames (lwIP sends them) stay unpadded.
     */
    public Builder toBuilder() {
        Builder b = new Builder().destination(destination).source(source).etherType(etherType).payload(payload.toArray());
        vlanTags.forEach(b::vlan);
        return b.pad(headerLength() + payload.length() >= MIN_LENGTH);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds frames; pads to 60 bytes unless {@link #pad(boolean)} says otherwise. */
    public static final class Builder {
        private MacAddress destination = MacAddress.BROADCAST;
        private MacAddress source = MacAddress.ZERO;
        private final List<VlanTag> tags = new ArrayList<>();
        private Integer etherType;
        private EtherPayload upper;
        private byte[] payload = new byte[0];
        private boolean pad = true;

        public Builder destination(MacAddress v) {
            destination = v;
            return this;
        }

        public Builder source(MacAddress v) {
            source = v;
            return this;
        }

        public Builder vlan(int vlanId) {
            return vlan(new VlanTag(EtherType.VLAN, 0, false, vlanId));
        }

        public Builder vlan(VlanTag tag) {
            tags.add(tag);
            return this;
        }

        /** Overrides the EtherType (otherwise taken from the payload builder). */
        public Builder etherType(int v) {
            etherType = v;
            return this;
        }

        /** The network layer; encoded when this frame is (so later changes to {@code p} count). */
        public Builder payload(EtherPayload p) {
            upper = p;
            return this;
        }

        /** Raw payload bytes; set {@link #etherType(int)} too. */
        public Builder payload(byte[] raw) {
            upper = null;
            payload = raw.clone();
            return this;
        }

        public Builder pad(boolean v) {
            pad = v;
            return this;
        }

        public byte[] encode() {
            byte[] payload = upper != null ? upper.encode() : this.payload;
            Integer etherType = this.etherType != null ? this.etherType : upper != null ? Integer.valueOf(upper.etherType()) : null;
            if (etherType == null) {
                throw new IllegalStateException("EtherType not set and no payload builder gave one");
            }
            int hl = HEADER_LENGTH + 4 * tags.size();
            int len = hl + payload.length;
            byte[] a = new byte[pad ? Math.max(MIN_LENGTH, len) : len];
            destination.write(a, 0);
            source.write(a, 6);
            int pos = 12;
            for (VlanTag t : tags) {
                Put.u16(a, pos, t.tpid());
                Put.u16(a, pos + 2, (t.priority() & 7) << 13 | (t.dropEligible() ? 0x1000 : 0) | (t.vlanId() & 0xfff));
                pos += 4;
            }
            Put.u16(a, pos, etherType);
            System.arraycopy(payload, 0, a, hl, payload.length);
            return a;
        }

        public EthernetFrame build() {
            try {
                return parse(Bytes.wrap(encode()));
            } catch (ParseException e) {
                throw new IllegalStateException("builder produced an unparsable frame", e);
            }
        }
    }

    @Override
    public String toString() {
        return source + " > " + destination + (vlanTags.isEmpty() ? "" : " " + vlanTags) + ", ethertype "
                + EtherType.name(etherType) + ", " + payload.length() + " bytes";
    }
}
