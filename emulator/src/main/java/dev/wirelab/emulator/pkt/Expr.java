package dev.wirelab.emulator.pkt;

import java.util.List;
import java.util.stream.Collectors;

/** A syscall argument or result expression, as written. */
public sealed interface Expr {
    /** {@code ...}: packetdrill fills in a sensible value (an argument) or accepts anything (a result). */
    record Ellipsis() implements Expr {
        @Override
        public String toString() {
            return "...";
        }
    }

    record Num(long value) implements Expr {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    /** A symbolic constant such as {@code SOCK_STREAM} or {@code EAGAIN}. */
    record Word(String name) implements Expr {
        @Override
        public String toString() {
            return name;
        }
    }

    /** A string literal ({@code "abc"}; adjacent literals concatenated); {@code open}: followed by {@code ...}. */
    record Str(String value, boolean open) implements Expr {
        @Override
        public String toString() {
            return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" + (open ? "..." : "");
        }
    }

    /** {@code htons(8080)}, {@code inet_addr("1.2.3.4")}, {@code msg_iov(1)}. */
    record Call(String name, List<Expr> args) implements Expr {
        public Call {
            args = List.copyOf(args);
        }

        @Override
        public String toString() {
            return name + "(" + join(args) + ")";
        }
    }

    /** {@code name=value} inside a struct. */
    record Assign(Expr name, Expr value) implements Expr {
        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    /** {@code A|B}. */
    record Or(Expr left, Expr right) implements Expr {
        @Override
        public String toString() {
            return left + "|" + right;
        }
    }

    /** {@code [a, b]} (array) or {@code {a, b}} (struct). */
    record Group(List<Expr> items, boolean braces) implements Expr {
        public Group {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            return (braces ? "{" : "[") + join(items) + (braces ? "}" : "]");
        }
    }

    static String join(List<Expr> l) {
        return l.stream().map(Object::toString).collect(Collectors.joining(", "));
    }
}
