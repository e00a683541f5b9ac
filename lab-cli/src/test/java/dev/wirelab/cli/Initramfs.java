package dev.wirelab.cli;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a tiny initramfs (cpio "newc"): /dev, /dev/console (char 5:1) and a static /init. */
final class Initramfs {
    private Initramfs() { }

    static byte[] withInit(byte[] init) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entry(out, 1, "dev", 0040755, new byte[0], 0, 0);
        entry(out, 2, "dev/console", 0020600, new byte[0], 5, 1);
        entry(out, 3, "init", 0100755, init, 0, 0);
        entry(out, 0, "TRAILER!!!", 0, new byte[0], 0, 0);
        return out.toByteArray();
    }

    private static void entry(ByteArrayOutputStream out, int ino, String name, int mode, byte[] data, int rdevMajor,
                              int rdevMinor) {
        byte[] n = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        StringBuilder h = new StringBuilder("070701");
        // ino mode uid gid nlink mtime filesize devmajor devminor rdevmajor rdevminor namesize check
        for (long v : new long[] {ino, mode, 0, 0, 1, 0, data.length, 0, 0, rdevMajor, rdevMinor, n.length, 0}) {
            h.append(String.format("%08x", v));
        }
        out.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(n);
        pad(out);
        out.writeBytes(data);
        pad(out);
    }

    private static void pad(ByteArrayOutputStream out) {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
    }
}
