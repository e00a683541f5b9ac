package dev.wirelab.emulator.fdt;

import dev.wirelab.emulator.boot.BadImageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A node of a parsed device tree: its name, properties (raw big-endian bytes, in
 * blob order) and children. Typed getters decode values and throw
 * {@link BadImageException} if a property has the wrong shape.
 */
public final class FdtNode {
    private final String name;
    private final Map<String, byte[]> props;
    private final List<FdtNode> children;

    FdtNode(String name, LinkedHashMap<String, byte[]> props, List<FdtNode> children) {
        this.name = name;
        this.props = Collections.unmodifiableMap(props);
        this.children = Collections.unmodifiableList(children);
    }

    /** Node name with unit address ("pl011@9000000"); "" for the root. */
    public String name() {
        return name;
    }

    /** Properties in blob order; values are not copied, do not modify. */
    public Map<String, byte[]> properties() {
        return props;
    }

    /** Child nodes in blob order. */
    public List<FdtNode> children() {
        return children;
    }

    /** The child called {@code name}, if any. */
    public Optional<FdtNode> child(String name) {
        for (FdtNode c : children) {
            if (c.name.equals(name)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** True if the property exists (possibly empty). */
    public boolean has(String prop) {
        return props.containsKey(prop);
    }

    /** A one-cell property. */
    public OptionalInt u32(String prop) {
        byte[] v = props.get(prop);
        if (v == null) {
            return OptionalInt.empty();
        }
        if (v.length != 4) {
            throw shape(prop, "one 32-bit cell", v.length);
        }
        return OptionalInt.of(be32(v, 0));
    }

    /** A two-cell (u64) property. */
    public OptionalLong u64(String prop) {
        byte[] v = props.get(prop);
        if (v == null) {
            return OptionalLong.empty();
        }
        if (v.length != 8) {
            throw shape(prop, "two 32-bit cells", v.length);
        }
        return OptionalLong.of((be32(v, 0) & 0xffff_ffffL) << 32 | (be32(v, 4) & 0xffff_ffffL));
    }

    /** All cells of a property (length must be a multiple of 4). */
    public Optional<int[]> cells(String prop) {
        byte[] v = props.get(prop);
        if (v == null) {
            return Optional.empty();
        }
        if (v.length % 4 != 0) {
            throw shape(prop, "a list of 32-bit cells", v.length);
        }
        int[] c = new int[v.length / 4];
        for (int i = 0; i < c.length; i++) {
            c[i] = be32(v, i * 4);
        }
        return Optional.of(c);
    }

    /** The first string of a string property. */
    public Optional<String> string(String prop) {
        return strings(prop).map(l -> l.isEmpty() ? "" : l.get(0));
    }

    /** A string list property (NUL-separated, NUL-terminated). */
    public Optional<List<String>> strings(String prop) {
        byte[] v = props.get(prop);
        if (v == null) {
            return Optional.empty();
        }
        if (v.length == 0 || v[v.length - 1] != 0) {
            throw shape(prop, "NUL-terminated strings", v.length);
        }
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < v.length; i++) {
            if (v[i] == 0) {
                out.add(new String(v, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return Optional.of(out);
    }

    /**
     * A {@code reg}-style property decoded as (address, size) pairs with the given
     * cell counts (those of the parent's #address-cells / #size-cells).
     */
    public List<long[]> reg(String prop, int addressCells, int sizeCells) {
        byte[] v = props.get(prop);
        if (v == null) {
            return List.of();
        }
        int per = (addressCells + sizeCells) * 4;
        if (addressCells < 1 || addressCells > 2 || sizeCells < 0 || sizeCells > 2 || v.length % per != 0) {
            throw shape(prop, "(address, size) pairs of " + addressCells + "+" + sizeCells + " cells", v.length);
        }
        List<long[]> out = new ArrayList<>();
        for (int o = 0; o < v.length; o += per) {
            long a = cellsValue(v, o, addressCells);
            long s = cellsValue(v, o + addressCells * 4, sizeCells);
            out.add(new long[] {a, s});
        }
        return out;
    }

    private static long cellsValue(byte[] v, int o, int cells) {
        long r = 0;
        for (int i = 0; i < cells; i++) {
            r = r << 32 | (be32(v, o + i * 4) & 0xffff_ffffL);
        }
        return r;
    }

    static int be32(byte[] v, int o) {
        return (v[o] & 0xff) << 24 | (v[o + 1] & 0xff) << 16 | (v[o + 2] & 0xff) << 8 | (v[o + 3] & 0xff);
    }

    private BadImageException shape(String prop, String want, int len) {
        return new BadImageException("device tree: property " + prop + " of node \"" + name + "\" is "
                + len + " bytes, not " + want + ": the DTB does not match the binding");
    }

    @Override
    public String toString() {
        return "FdtNode[" + (name.isEmpty() ? "/" : name) + ", " + props.size() + " properties, "
                + children.size() + " children]";
    }
}
