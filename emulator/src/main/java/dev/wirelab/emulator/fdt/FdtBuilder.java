package dev.wirelab.emulator.fdt;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a flattened device tree blob (Devicetree Specification v0.4, chapter 5):
 * version 17, last compatible version 16, big-endian, header then memory
 * reservation block, structure block and strings block, each 8-byte aligned.
 * Property names are deduplicated in the strings block.
 *
 * <pre>{@code
 * FdtBuilder b = new FdtBuilder();
 * b.beginNode("");                 // the root
 * b.propU32("#address-cells", 2);
 * b.beginNode("memory@40000000").propString("device_type", "memory")
 *  .propCells("reg", 0, 0x4000_0000L, 0, 0x800_0000L).endNode();
 * b.endNode();
 * byte[] dtb = b.finish();
 * }</pre>
 */
public final class FdtBuilder {
    /** FDT header magic. */
    public static final int MAGIC = 0xd00d_feed;
    static final int BEGIN_NODE = 1;
    static final int END_NODE = 2;
    static final int PROP = 3;
    static final int NOP = 4;
    static final int END = 9;
    static final int HEADER_SIZE = 40;
    /** Longest property name (spec 2.2.4.1). */
    static final int MAX_PROP_NAME = 31;
    /** Longest node name before the unit address (spec 2.2.1). */
    static final int MAX_NODE_NAME = 31;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private final List<long[]> reservations = new ArrayList<>();
    private final Deque<NodeState> open = new ArrayDeque<>();
    private int nextPhandle;
    private int bootCpuId;
    private boolean rootDone;

    private static final class NodeState {
        final String name;
        final Set<String> props = new HashSet<>();
        final Set<String> children = new HashSet<>();
        boolean hasChildren;

        NodeState(String name) {
            this.name = name;
        }
    }

    /** A builder whose {@link #allocatePhandle()} starts at 1. */
    public FdtBuilder() {
        this(1);
    }

    /** A builder whose {@link #allocatePhandle()} starts at {@code firstPhandle} (QEMU uses 0x8000). */
    public FdtBuilder(int firstPhandle) {
        if (firstPhandle == 0 || firstPhandle == -1) {
            throw new IllegalArgumentException("phandle 0 and 0xffffffff are reserved");
        }
        this.nextPhandle = firstPhandle;
    }

    /** Reserves a fresh phandle value; attach it to a node with {@link #propPhandle}. */
    public int allocatePhandle() {
        int p = nextPhandle++;
        if (p == 0 || p == -1) {
            throw new IllegalStateException("out of phandles");
        }
        return p;
    }

    /** Adds a memory reservation block entry. */
    public FdtBuilder reserve(long address, long size) {
        reservations.add(new long[] {address, size});
        return this;
    }

    /** Sets the header's boot_cpuid_phys. */
    public FdtBuilder bootCpuId(int id) {
        this.bootCpuId = id;
        return this;
    }

    /** Opens a node; the first node is the root and must be named "". */
    public FdtBuilder beginNode(String name) {
        if (open.isEmpty()) {
            if (rootDone) {
                throw new IllegalStateException("the tree already has a root");
            }
            if (!name.isEmpty()) {
                throw new IllegalArgumentException("the root node must be named \"\", not \"" + name + "\"");
            }
        } else {
            checkNodeName(name);
            NodeState parent = open.peek();
            if (!parent.children.add(name)) {
                throw new IllegalStateException("duplicate node " + path() + "/" + name);
            }
            parent.hasChildren = true;
        }
        token(BEGIN_NODE);
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        struct.writeBytes(n);
        struct.write(0);
        pad4();
        open.push(new NodeState(name));
        return this;
    }

    /** Closes the innermost open node. */
    public FdtBuilder endNode() {
        if (open.isEmpty()) {
            throw new IllegalStateException("endNode without beginNode");
        }
        open.pop();
        token(END_NODE);
        if (open.isEmpty()) {
            rootDone = true;
        }
        return this;
    }

    /** A property with raw bytes as its value. */
    public FdtBuilder prop(String name, byte[] value) {
        if (open.isEmpty()) {
            throw new IllegalStateException("property " + name + " outside any node");
        }
        checkPropName(name);
        NodeState n = open.peek();
        if (n.hasChildren) {
            throw new IllegalStateException("property " + name + " of " + path() + " after a child node: properties come first");
        }
        if (!n.props.add(name)) {
            throw new IllegalStateException("duplicate property " + name + " in " + path());
        }
        token(PROP);
        u32(value.length);
        u32(stringOffset(name));
        struct.writeBytes(value);
        pad4();
        return this;
    }

    /** An empty (boolean) property such as {@code interrupt-controller}. */
    public FdtBuilder propEmpty(String name) {
        return prop(name, new byte[0]);
    }

    /** One u32 cell. */
    public FdtBuilder propU32(String name, int value) {
        return propCells32(name, value);
    }

    /** A list of u32 cells. */
    public FdtBuilder propCells32(String name, int... cells) {
        byte[] v = new byte[cells.length * 4];
        for (int i = 0; i < cells.length; i++) {
            putU32(v, i * 4, cells[i]);
        }
        return prop(name, v);
    }

    /** A u64 value as two cells. */
    public FdtBuilder propU64(String name, long value) {
        byte[] v = new byte[8];
        putU32(v, 0, (int) (value >>> 32));
        putU32(v, 4, (int) value);
        return prop(name, v);
    }

    /**
     * Cells given as longs, each checked to fit in a u32: handy for {@code reg}
     * with #address-cells = #size-cells = 2 written as hi/lo pairs. See also
     * {@link #propReg}.
     */
    public FdtBuilder propCells(String name, long... cells) {
        int[] c = new int[cells.length];
        for (int i = 0; i < cells.length; i++) {
            if (cells[i] < 0 || cells[i] > 0xffff_ffffL) {
                throw new IllegalArgumentException(name + " cell " + i + " = " + cells[i] + " does not fit in 32 bits");
            }
            c[i] = (int) cells[i];
        }
        return propCells32(name, c);
    }

    /** A {@code reg} style property: (address, size) pairs written with the given cell counts. */
    public FdtBuilder propReg(String name, int addressCells, int sizeCells, long... addressSizePairs) {
        if (addressSizePairs.length % 2 != 0) {
            throw new IllegalArgumentException(name + ": need (address, size) pairs");
        }
        if (addressCells < 1 || addressCells > 2 || sizeCells < 0 || sizeCells > 2) {
            throw new IllegalArgumentException(name + ": address cells must be 1-2 and size cells 0-2");
        }
        int per = addressCells + sizeCells;
        byte[] v = new byte[addressSizePairs.length / 2 * per * 4];
        int o = 0;
        for (int i = 0; i < addressSizePairs.length; i += 2) {
            o = putCells(v, o, addressSizePairs[i], addressCells, name);
            o = putCells(v, o, addressSizePairs[i + 1], sizeCells, name);
        }
        return prop(name, v);
    }

    /** A NUL-terminated string. */
    public FdtBuilder propString(String name, String value) {
        return propStrings(name, value);
    }

    /** A string list: each string NUL-terminated, concatenated. */
    public FdtBuilder propStrings(String name, String... values) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (String s : values) {
            if (s.indexOf('\0') >= 0) {
                throw new IllegalArgumentException(name + ": string contains NUL");
            }
            v.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            v.write(0);
        }
        return prop(name, v.toByteArray());
    }

    /** Gives the current node the phandle {@code handle} ("phandle" property). */
    public FdtBuilder propPhandle(int handle) {
        return propU32("phandle", handle);
    }

    /** Closes the blob; all nodes must be closed. */
    public byte[] finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("node " + path() + " is still open");
        }
        if (!rootDone) {
            throw new IllegalStateException("no root node");
        }
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(struct.toByteArray());
        byte[] end = new byte[4];
        putU32(end, 0, END);
        s.writeBytes(end);
        byte[] structBytes = s.toByteArray();
        byte[] stringBytes = strings.toByteArray();

        int offRsv = align8(HEADER_SIZE);
        int rsvSize = (reservations.size() + 1) * 16;
        int offStruct = align8(offRsv + rsvSize);
        int offStrings = align8(offStruct + structBytes.length);
        int total = align8(offStrings + stringBytes.length);
        byte[] out = new byte[total];
        putU32(out, 0, MAGIC);
        putU32(out, 4, total);
        putU32(out, 8, offStruct);
        putU32(out, 12, offStrings);
        putU32(out, 16, offRsv);
        putU32(out, 20, 17);
        putU32(out, 24, 16);
        putU32(out, 28, bootCpuId);
        putU32(out, 32, stringBytes.length);
        putU32(out, 36, structBytes.length);
        int o = offRsv;
        for (long[] r : reservations) {
            putU64(out, o, r[0]);
            putU64(out, o + 8, r[1]);
            o += 16;
        }
        System.arraycopy(structBytes, 0, out, offStruct, structBytes.length);
        System.arraycopy(stringBytes, 0, out, offStrings, stringBytes.length);
        return out;
    }

    private int putCells(byte[] v, int o, long value, int cells, String name) {
        if (cells == 1 && (value < 0 || value > 0xffff_ffffL)) {
            throw new IllegalArgumentException(name + ": " + Long.toHexString(value) + " does not fit in one cell");
        }
        if (cells == 2) {
            putU32(v, o, (int) (value >>> 32));
            o += 4;
        }
        if (cells >= 1) {
            putU32(v, o, (int) value);
            o += 4;
        }
        return o;
    }

    private int stringOffset(String name) {
        Integer off = stringOffsets.get(name);
        if (off == null) {
            off = strings.size();
            strings.writeBytes(name.getBytes(StandardCharsets.US_ASCII));
            strings.write(0);
            stringOffsets.put(name, off);
        }
        return off;
    }

    private String path() {
        StringBuilder sb = new StringBuilder();
        var it = open.descendingIterator();
        while (it.hasNext()) {
            String n = it.next().name;
            if (!n.isEmpty()) {
                sb.append('/').append(n);
            }
        }
        return sb.isEmpty() ? "/" : sb.toString();
    }

    private static void checkNodeName(String name) {
        int at = name.indexOf('@');
        String base = at < 0 ? name : name.substring(0, at);
        String unit = at < 0 ? "" : name.substring(at + 1);
        if (base.isEmpty() || base.length() > MAX_NODE_NAME || (at >= 0 && unit.isEmpty())) {
            throw new IllegalArgumentException("bad node name \"" + name + "\": 1-31 characters, then optional @unit-address");
        }
        for (char c : name.toCharArray()) {
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || ",._+-@".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("bad character '" + c + "' in node name \"" + name + "\"");
            }
        }
        if (unit.indexOf('@') >= 0) {
            throw new IllegalArgumentException("bad node name \"" + name + "\": more than one @");
        }
    }

    private static void checkPropName(String name) {
        if (name.isEmpty() || name.length() > MAX_PROP_NAME) {
            throw new IllegalArgumentException("bad property name \"" + name + "\": 1-31 characters");
        }
        for (char c : name.toCharArray()) {
            boolean ok = Character.isLetterOrDigit(c) && c < 128 || ",._+?#-".indexOf(c) >= 0;
            if (!ok) {
                throw new IllegalArgumentException("bad character '" + c + "' in property name \"" + name + "\"");
            }
        }
    }

    private void token(int t) {
        u32(t);
    }

    private void u32(int v) {
        struct.write(v >>> 24);
        struct.write(v >>> 16);
        struct.write(v >>> 8);
        struct.write(v);
    }

    private void pad4() {
        while (struct.size() % 4 != 0) {
            struct.write(0);
        }
    }

    private static int align8(int v) {
        return (v + 7) & ~7;
    }

    static void putU32(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 24);
        b[o + 1] = (byte) (v >>> 16);
        b[o + 2] = (byte) (v >>> 8);
        b[o + 3] = (byte) v;
    }

    static void putU64(byte[] b, int o, long v) {
        putU32(b, o, (int) (v >>> 32));
        putU32(b, o + 4, (int) v);
    }
}
