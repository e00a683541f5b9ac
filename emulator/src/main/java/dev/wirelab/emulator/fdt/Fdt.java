package dev.wirelab.emulator.fdt;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * A parsed device tree blob.
 *
 * @param version         header version
 * @param lastCompVersion header last_comp_version
 * @param bootCpuId       header boot_cpuid_phys
 * @param reservations    memory reservation block entries as (address, size)
 * @param root            the root node
 */
public record Fdt(int version, int lastCompVersion, int bootCpuId, List<long[]> reservations, FdtNode root) {

    public Fdt {
        reservations = List.copyOf(reservations);
    }

    /** The node at an absolute path such as "/cpus/cpu@0" ("/" is the root). */
    public Optional<FdtNode> node(String path) {
        if (!path.startsWith("/")) {
            return Optional.empty();
        }
        FdtNode n = root;
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            Optional<FdtNode> c = n.child(part);
            if (c.isEmpty()) {
                return Optional.empty();
            }
            n = c.get();
        }
        return Optional.of(n);
    }

    /** The tree as DTS source (strings as strings, cells as {@code <0x..>}, other values as bytes). */
    public String toDts() {
        StringBuilder sb = new StringBuilder("/dts-v1/;\n\n");
        for (long[] r : reservations) {
            sb.append("/memreserve/ 0x").append(Long.toHexString(r[0])).append(" 0x")
                    .append(Long.toHexString(r[1])).append(";\n");
        }
        dts(sb, root, 0);
        return sb.toString();
    }

    private static void dts(StringBuilder sb, FdtNode n, int depth) {
        String ind = "\t".repeat(depth);
        sb.append(ind).append(n.name().isEmpty() ? "/" : n.name()).append(" {\n");
        for (var e : n.properties().entrySet()) {
            sb.append(ind).append('\t').append(e.getKey());
            byte[] v = e.getValue();
            if (v.length > 0) {
                sb.append(" = ").append(value(v));
            }
            sb.append(";\n");
        }
        for (FdtNode c : n.children()) {
            sb.append('\n');
            dts(sb, c, depth + 1);
        }
        sb.append(ind).append("};\n");
    }

    private static String value(byte[] v) {
        if (printableStrings(v)) {
            StringBuilder sb = new StringBuilder();
            int start = 0;
            for (int i = 0; i < v.length; i++) {
                if (v[i] == 0) {
                    if (start > 0) {
                        sb.append(", ");
                    }
                    sb.append('"').append(new String(v, start, i - start, StandardCharsets.UTF_8)
                            .replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                    start = i + 1;
                }
            }
            return sb.toString();
        }
        StringBuilder sb = new StringBuilder();
        if (v.length % 4 == 0) {
            sb.append('<');
            for (int i = 0; i < v.length; i += 4) {
                sb.append(i == 0 ? "" : " ").append("0x").append(Integer.toHexString(FdtNode.be32(v, i)));
            }
            return sb.append('>').toString();
        }
        sb.append('[');
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : " ").append(String.format("%02x", v[i] & 0xff));
        }
        return sb.append(']').toString();
    }

    private static boolean printableStrings(byte[] v) {
        if (v.length == 0 || v[v.length - 1] != 0 || v[0] == 0) {
            return false;
        }
        for (int i = 0; i < v.length; i++) {
            int c = v[i] & 0xff;
            if (c == 0) {
                if (i > 0 && v[i - 1] == 0) {
                    return false;
                }
            } else if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
