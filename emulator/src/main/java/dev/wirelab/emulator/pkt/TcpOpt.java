package dev.wirelab.emulator.pkt;

import java.util.List;
import java.util.stream.Collectors;

/** One TCP option as a script writes it between {@code <} and {@code >}. */
public sealed interface TcpOpt {
    record Nop() implements TcpOpt {
        @Override
        public String toString() {
            return "nop";
        }
    }

    record Eol() implements TcpOpt {
        @Override
        public String toString() {
            return "eol";
        }
    }

    record Mss(int value) implements TcpOpt {
        @Override
        public String toString() {
            return "mss " + value;
        }
    }

    record WScale(int shift) implements TcpOpt {
        @Override
        public String toString() {
            return "wscale " + shift;
        }
    }

    record SackOk() implements TcpOpt {
        @Override
        public String toString() {
            return "sackOK";
        }
    }

    /** SACK blocks, relative to the sequence space of the side being acknowledged. */
    record Sack(List<Block> blocks) implements TcpOpt {
        public record Block(long left, long right) { }

        public Sack {
            blocks = List.copyOf(blocks);
        }

        @Override
        public String toString() {
            return "sack " + blocks.stream().map(b -> b.left() + ":" + b.right()).collect(Collectors.joining(" "));
        }
    }

    record Timestamp(long val, long ecr) implements TcpOpt {
        @Override
        public String toString() {
            return "TS val " + val + " ecr " + ecr;
        }
    }

    /** An option this lab does not model (FO, md5, ECN...): kept as text, reported as unsupported when run. */
    record Other(String text) implements TcpOpt {
        @Override
        public String toString() {
            return text;
        }
    }
}
