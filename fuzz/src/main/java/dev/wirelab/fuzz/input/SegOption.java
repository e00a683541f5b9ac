package dev.wirelab.fuzz.input;

import java.util.List;

/** A TCP option as the fuzzer chooses it; SACK blocks are relative to the live connection. */
public sealed interface SegOption {
    /** Encoded length in bytes as {@code lab.tcp} lays it out (window scale and SACK after NOP padding), before the final padding. */
    int length();

    record Mss(int value) implements SegOption {
        public Mss {
            Limits.check("mss", value, 0, 0xffff);
        }

        public int length() {
            return 4;
        }
    }

    record WindowScale(int shift) implements SegOption {
        public WindowScale {
            Limits.check("window scale", shift, 0, 255);
        }

        public int length() {
            return 4;
        }
    }

    record SackPermitted() implements SegOption {
        public int length() {
            return 2;
        }
    }

    record Timestamps(long value, long echo) implements SegOption {
        public Timestamps {
            Limits.check("tsval", value, 0, 0xffff_ffffL);
            Limits.check("tsecr", echo, 0, 0xffff_ffffL);
        }

        public int length() {
            return 10;
        }
    }

    /** One SACK block: the peer claims to hold guest data [left, right). */
    record SackBlock(Rel left, Rel right) {
    }

    record Sack(List<SackBlock> blocks) implements SegOption {
        public Sack {
            blocks = List.copyOf(blocks);
            Limits.check("sack blocks", blocks.size(), 1, 4);
        }

        public int length() {
            return 4 + 8 * blocks.size();
        }
    }
}
