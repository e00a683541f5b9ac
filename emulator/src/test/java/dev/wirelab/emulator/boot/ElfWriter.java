package dev.wirelab.emulator.boot;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Test helper: writes small ELF64 executables with PT_LOAD segments and an optional .symtab. */
final class ElfWriter {
    record Seg(long vaddr, long paddr, byte[] data, long memsz, int flags) { }

    record Sym(String name, long value, long size, int type) { }

    int machine = 183;
    int elfClass = 2;
    int data = 1;
    int type = 2;
    long entry;
    final List<Seg> segs = new ArrayList<>();
    final List<Sym> syms = new ArrayList<>();

    ElfWriter entry(long e) {
        entry = e;
        return this;
    }

    ElfWriter seg(long addr, byte[] bytes, long memsz, int flags) {
        segs.add(new Seg(addr, addr, bytes, memsz, flags));
        return this;
    }

    ElfWriter seg(long vaddr, long paddr, byte[] bytes, long memsz, int flags) {
        segs.add(new Seg(vaddr, paddr, bytes, memsz, flags));
        return this;
    }

    ElfWriter func(String name, long value, long size) {
        syms.add(new Sym(name, value, size, 2));
        return this;
    }

    ElfWriter object(String name, long value, long size) {
        syms.add(new Sym(name, value, size, 1));
        return this;
    }

    ElfWriter notype(String name, long value) {
        syms.add(new Sym(name, value, 0, 0));
        return this;
    }

    byte[] build() {
        int phoff = 64;
        int off = phoff + 56 * segs.size();
        List<Integer> segOffsets = new ArrayList<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Seg s : segs) {
            segOffsets.add(off + body.size());
            body.writeBytes(s.data());
            while (body.size() % 8 != 0) {
                body.write(0);
            }
        }
        // Sections: null, .symtab, .strtab, .shstrtab (only if there are symbols).
        byte[] symtab = null;
        byte[] strtab = null;
        byte[] shstrtab = null;
        int symOff = 0;
        int strOff = 0;
        int shstrOff = 0;
        int shoff = 0;
        if (!syms.isEmpty()) {
            ByteArrayOutputStream str = new ByteArrayOutputStream();
            str.write(0);
            ByteBuffer st = le(24 * (syms.size() + 1));
            st.position(24);
            for (Sym s : syms) {
                st.putInt(str.size());
                str.writeBytes(s.name().getBytes(StandardCharsets.UTF_8));
                str.write(0);
                st.put((byte) (0x10 | s.type()));   // STB_GLOBAL
                st.put((byte) 0);
                st.putShort((short) 1);               // any section index but SHN_UNDEF
                st.putLong(s.value());
                st.putLong(s.size());
            }
            symtab = st.array();
            strtab = str.toByteArray();
            shstrtab = "\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
            symOff = off + body.size();
            body.writeBytes(symtab);
            strOff = off + body.size();
            body.writeBytes(strtab);
            shstrOff = off + body.size();
            body.writeBytes(shstrtab);
            while (body.size() % 8 != 0) {
                body.write(0);
            }
            shoff = off + body.size();
        }
        int shnum = syms.isEmpty() ? 0 : 4;
        ByteBuffer out = le(shoff == 0 ? off + body.size() : shoff + 64 * shnum);
        out.put(new byte[] {0x7f, 'E', 'L', 'F', (byte) elfClass, (byte) data, 1, 0});
        out.position(16);
        out.putShort((short) type);
        out.putShort((short) machine);
        out.putInt(1);
        out.putLong(entry);
        out.putLong(phoff);
        out.putLong(shoff);
        out.putInt(0);
        out.putShort((short) 64);
        out.putShort((short) 56);
        out.putShort((short) segs.size());
        out.putShort((short) 64);
        out.putShort((short) shnum);
        out.putShort((short) (shnum == 0 ? 0 : 3));
        for (int i = 0; i < segs.size(); i++) {
            Seg s = segs.get(i);
            out.position(phoff + 56 * i);
            out.putInt(1);
            out.putInt(s.flags());
            out.putLong(segOffsets.get(i));
            out.putLong(s.vaddr());
            out.putLong(s.paddr());
            out.putLong(s.data().length);
            out.putLong(s.memsz());
            out.putLong(0x1000);
        }
        out.position(off);
        out.put(body.toByteArray());
        if (shnum > 0) {
            out.position(shoff + 64);      // section 1: .symtab
            section(out, 1, 2, symOff, symtab.length, 2, 24);
            section(out, 9, 3, strOff, strtab.length, 0, 0);
            section(out, 17, 3, shstrOff, shstrtab.length, 0, 0);
        }
        return out.array();
    }

    private static void section(ByteBuffer out, int name, int type, long offset, long size, int link, long entsize) {
        out.putInt(name);
        out.putInt(type);
        out.putLong(0);
        out.putLong(0);
        out.putLong(offset);
        out.putLong(size);
        out.putInt(link);
        out.putInt(0);
        out.putLong(8);
        out.putLong(entsize);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A minimal arm64 Image: header plus {@code body} bytes. */
    static byte[] linuxImage(long textOffset, long imageSize, long flags, int bodyBytes) {
        ByteBuffer b = le(64 + bodyBytes);
        b.putInt(0x1400_0010);          // b +0x40
        b.putInt(0);
        b.putLong(textOffset);
        b.putLong(imageSize);
        b.putLong(flags);
        b.putLong(0);
        b.putLong(0);
        b.putLong(0);
        b.putInt(0x644d_5241);
        b.putInt(0);
        for (int i = 0; i < bodyBytes; i++) {
            b.put((byte) i);
        }
        return b.array();
    }

    /** Four bytes of code: {@code wfi}. */
    static byte[] code() {
        return new byte[] {0x7f, 0x20, 0x03, (byte) 0xd5, 0x00, 0x00, 0x00, 0x14};
    }
}
