package dev.wirelab.emulator.fdt;

import dev.wirelab.emulator.boot.BadImageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Parses a flattened device tree blob into an {@link Fdt}. Accepts versions 16
 * and 17; every malformed blob is refused with a {@link BadImageException} that
 * names the offset.
 */
public final class FdtReader {
    private FdtReader() { }

    private static final int MAX_DEPTH = 64;
    private static final int MAX_RESERVATIONS = 1024;

    /** Parses {@code dtb}. */
    public static Fdt parse(byte[] dtb) {
        return new Parser(dtb).parse();
    }

    private static final class Parser {
        private final byte[] b;
        private int structStart;
        private int structEnd;
        private int stringsStart;
        private int stringsEnd;

        Parser(byte[] b) {
            this.b = b;
        }

        private BadImageException bad(String what) {
            return new BadImageException("device tree: " + what);
        }

        private int u32(long off, String field) {
            if (off < 0 || off + 4 > b.length) {
                throw bad("truncated: " + field + " at offset 0x" + Long.toHexString(off)
                        + " is past the end of the " + b.length + "-byte blob");
            }
            return FdtNode.be32(b, (int) off);
        }

        Fdt parse() {
            if (b.length < FdtBuilder.HEADER_SIZE) {
                throw bad("truncated: " + b.length + " bytes, shorter than the 40-byte header");
            }
            int magic = u32(0, "magic");
            if (magic != FdtBuilder.MAGIC) {
                throw bad("bad magic 0x" + Integer.toHexString(magic) + " at offset 0 (want 0xd00dfeed): not a DTB");
            }
            long total = u32(4, "totalsize") & 0xffff_ffffL;
            long offStruct = u32(8, "off_dt_struct") & 0xffff_ffffL;
            long offStrings = u32(12, "off_dt_strings") & 0xffff_ffffL;
            long offRsv = u32(16, "off_mem_rsvmap") & 0xffff_ffffL;
            int version = u32(20, "version");
            int lastComp = u32(24, "last_comp_version");
            int bootCpu = u32(28, "boot_cpuid_phys");
            long sizeStrings = u32(32, "size_dt_strings") & 0xffff_ffffL;
            long sizeStruct = u32(36, "size_dt_struct") & 0xffff_ffffL;
            if (total > b.length) {
                throw bad("truncated: header totalsize 0x" + Long.toHexString(total) + " but the blob has 0x"
                        + Integer.toHexString(b.length) + " bytes");
            }
            if (version < 16 || lastComp > 17) {
                throw bad("unsupported version " + version + " (last compatible " + lastComp
                        + ") at offset 0x14: need a version 16 or 17 blob; recompile with dtc");
            }
            checkBlock("memory reservation block", offRsv, 16, total);
            checkBlock("structure block", offStruct, sizeStruct, total);
            checkBlock("strings block", offStrings, sizeStrings, total);
            if (offStruct % 4 != 0 || offRsv % 8 != 0) {
                throw bad("misaligned block: off_dt_struct 0x" + Long.toHexString(offStruct)
                        + ", off_mem_rsvmap 0x" + Long.toHexString(offRsv));
            }
            structStart = (int) offStruct;
            structEnd = (int) (offStruct + sizeStruct);
            stringsStart = (int) offStrings;
            stringsEnd = (int) (offStrings + sizeStrings);

            List<long[]> rsv = new ArrayList<>();
            for (long o = offRsv; ; o += 16) {
                if (o + 16 > total) {
                    throw bad("memory reservation block at 0x" + Long.toHexString(offRsv) + " has no terminating entry");
                }
                long addr = (u32(o, "reservation") & 0xffff_ffffL) << 32 | (u32(o + 4, "reservation") & 0xffff_ffffL);
                long size = (u32(o + 8, "reservation") & 0xffff_ffffL) << 32 | (u32(o + 12, "reservation") & 0xffff_ffffL);
                if (addr == 0 && size == 0) {
                    break;
                }
                if (rsv.size() >= MAX_RESERVATIONS) {
                    throw bad("more than " + MAX_RESERVATIONS + " memory reservations: corrupt blob");
                }
                rsv.add(new long[] {addr, size});
            }
            return new Fdt(version, lastComp, bootCpu, rsv, structure());
        }

        private void checkBlock(String what, long off, long size, long total) {
            if (off > total || size > total - off) {
                throw bad(what + " [0x" + Long.toHexString(off) + ", 0x" + Long.toHexString(off + size)
                        + ") is outside the blob (totalsize 0x" + Long.toHexString(total) + ")");
            }
        }

        private static final class Building {
            final String name;
            final LinkedHashMap<String, byte[]> props = new LinkedHashMap<>();
            final List<FdtNode> children = new ArrayList<>();

            Building(String name) {
                this.name = name;
            }
        }

        private FdtNode structure() {
            Deque<Building> stack = new ArrayDeque<>();
            FdtNode root = null;
            int p = structStart;
            while (true) {
                if (p + 4 > structEnd) {
                    throw bad("structure block ends at 0x" + Integer.toHexString(structEnd) + " without an FDT_END token");
                }
                int tok = u32(p, "token");
                int at = p;
                p += 4;
                switch (tok) {
                    case FdtBuilder.BEGIN_NODE -> {
                        if (root != null) {
                            throw bad("second root node at offset 0x" + Integer.toHexString(at));
                        }
                        if (stack.size() >= MAX_DEPTH) {
                            throw bad("nodes nested deeper than " + MAX_DEPTH + " at offset 0x" + Integer.toHexString(at));
                        }
                        int end = nul(p, structEnd, "node name at 0x" + Integer.toHexString(p));
                        String name = new String(b, p, end - p, StandardCharsets.UTF_8);
                        if (stack.isEmpty() && !name.isEmpty()) {
                            // Version 16 blobs may name the root "/"; anything else is wrong.
                            if (!name.equals("/")) {
                                throw bad("root node at 0x" + Integer.toHexString(at) + " is named \"" + name + "\", not \"\"");
                            }
                            name = "";
                        }
                        stack.push(new Building(name));
                        p = align4(end + 1);
                    }
                    case FdtBuilder.END_NODE -> {
                        if (stack.isEmpty()) {
                            throw bad("FDT_END_NODE without a node at offset 0x" + Integer.toHexString(at));
                        }
                        Building done = stack.pop();
                        FdtNode node = new FdtNode(done.name, done.props, done.children);
                        if (stack.isEmpty()) {
                            root = node;
                        } else {
                            stack.peek().children.add(node);
                        }
                    }
                    case FdtBuilder.PROP -> {
                        if (stack.isEmpty()) {
                            throw bad("property outside any node at offset 0x" + Integer.toHexString(at));
                        }
                        if (p + 8 > structEnd) {
                            throw bad("property header at 0x" + Integer.toHexString(at) + " runs past the structure block");
                        }
                        long len = u32(p, "property length") & 0xffff_ffffL;
                        long nameOff = u32(p + 4, "property name offset") & 0xffff_ffffL;
                        p += 8;
                        if (len > structEnd - p) {
                            throw bad("property at 0x" + Integer.toHexString(at) + " has length 0x" + Long.toHexString(len)
                                    + ", past the end of the structure block");
                        }
                        if (nameOff >= stringsEnd - stringsStart) {
                            throw bad("property at 0x" + Integer.toHexString(at) + " has name offset 0x"
                                    + Long.toHexString(nameOff) + " outside the strings block");
                        }
                        int ns = stringsStart + (int) nameOff;
                        int ne = nul(ns, stringsEnd, "property name at 0x" + Integer.toHexString(ns));
                        String name = new String(b, ns, ne - ns, StandardCharsets.UTF_8);
                        byte[] v = new byte[(int) len];
                        System.arraycopy(b, p, v, 0, (int) len);
                        stack.peek().props.put(name, v);
                        p = align4(p + (int) len);
                    }
                    case FdtBuilder.NOP -> { }
                    case FdtBuilder.END -> {
                        if (!stack.isEmpty()) {
                            throw bad("FDT_END at offset 0x" + Integer.toHexString(at) + " with " + stack.size() + " node(s) still open");
                        }
                        if (root == null) {
                            throw bad("no root node");
                        }
                        return root;
                    }
                    default -> throw bad("unknown token 0x" + Integer.toHexString(tok) + " at offset 0x"
                            + Integer.toHexString(at) + ": corrupt structure block");
                }
            }
        }

        private int nul(int from, int limit, String what) {
            for (int i = from; i < limit; i++) {
                if (b[i] == 0) {
                    return i;
                }
            }
            throw bad(what + " is not NUL-terminated inside its block");
        }

        private static int align4(int v) {
            return (v + 3) & ~3;
        }
    }
}
