package dev.wirelab.emulator.boot;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Parses and validates ELF64 little-endian AArch64 executables (System V gABI, AArch64 ELF ABI). */
final class ElfParser {
    private ElfParser() { }

    static final int EM_AARCH64 = 183;
    private static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STT_NOTYPE = 0;
    /** Section indexes from here up are special (ABS, COMMON): such symbols are not code or data addresses. */
    private static final int SHN_LORESERVE = 0xff00;
    private static final int EHDR_SIZE = 64;
    private static final int PHDR_SIZE = 56;
    private static final int SHDR_SIZE = 64;
    private static final int SYM_SIZE = 24;
    private static final int MAX_PHDRS = 256;
    private static final int MAX_SHDRS = 65_280;
    /** No guest segment may be larger than this: wirelab guests fit in 4 GiB of RAM. */
    static final long MAX_SEGMENT = 0x1_0000_0000L;
    private static final int MAX_SYMBOLS = 4_000_000;

    static ElfImage parse(String name, byte[] bytes) {
        Bytes b = new Bytes(name, bytes);
        b.need(0, 20, "ELF identification and e_machine");
        int cls = b.u8(4, "EI_CLASS");
        int data = b.u8(5, "EI_DATA");
        int machine = data == 2 ? (b.u8(18, "e_machine") << 8 | b.u8(19, "e_machine")) : b.u16le(18, "e_machine");
        String what = (cls == 1 ? "32-bit " : "") + machineName(machine);
        if (machine != EM_AARCH64) {
            throw new BadImageException(name + ": " + what + " ELF (e_machine " + machine
                    + "): wirelab runs AArch64 guests; build for aarch64");
        }
        if (cls != 2) {
            throw new BadImageException(name + ": " + (cls == 1 ? "32-bit" : "unknown class " + cls)
                    + " ELF (EI_CLASS at offset 4): wirelab needs an ELF64 AArch64 executable");
        }
        if (data != 1) {
            throw new BadImageException(name + ": " + (data == 2 ? "big-endian" : "unknown data encoding " + data)
                    + " ELF (EI_DATA at offset 5): wirelab runs little-endian AArch64 guests; build with -mlittle-endian");
        }
        b.need(0, EHDR_SIZE, "ELF header");
        int type = b.u16le(16, "e_type");
        if (type != 2) {
            String t = switch (type) {
                case 1 -> "a relocatable object (ET_REL): link it into an executable first";
                case 3 -> "a shared object or PIE (ET_DYN): link with -static -no-pie";
                case 4 -> "a core dump (ET_CORE)";
                default -> "of unknown type " + type;
            };
            throw new BadImageException(name + ": ELF e_type at offset 0x10 says " + t + "; wirelab loads ET_EXEC executables");
        }
        long entry = b.u64le(24, "e_entry");
        long phoff = b.u64le(32, "e_phoff");
        long shoff = b.u64le(40, "e_shoff");
        int phentsize = b.u16le(54, "e_phentsize");
        int phnum = b.u16le(56, "e_phnum");
        int shentsize = b.u16le(58, "e_shentsize");
        int shnum = b.u16le(60, "e_shnum");
        if (phnum == 0) {
            throw new BadImageException(name + ": ELF has no program headers (e_phnum 0 at offset 0x38): nothing to load; link it as an executable");
        }
        if (phnum == 0xffff || phnum > MAX_PHDRS) {
            throw new BadImageException(name + ": ELF e_phnum " + phnum + " is absurd (limit " + MAX_PHDRS + "): the header is corrupt");
        }
        if (phentsize != PHDR_SIZE) {
            throw new BadImageException(name + ": ELF e_phentsize " + phentsize + " at offset 0x36 is not " + PHDR_SIZE + ": the header is corrupt");
        }
        b.need(phoff, (long) phnum * PHDR_SIZE, "program header table (e_phoff " + Hex.of(phoff) + ")");

        List<ElfImage.Segment> segments = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * PHDR_SIZE;
            if (b.u32le(ph, "p_type") != PT_LOAD) {
                continue;
            }
            int flags = (int) b.u32le(ph + 4, "p_flags");
            long offset = b.u64le(ph + 8, "p_offset");
            long vaddr = b.u64le(ph + 16, "p_vaddr");
            long paddr = b.u64le(ph + 24, "p_paddr");
            long filesz = b.u64le(ph + 32, "p_filesz");
            long memsz = b.u64le(ph + 40, "p_memsz");
            String seg = name + ": segment " + i;
            if (Long.compareUnsigned(filesz, memsz) > 0) {
                throw new BadImageException(seg + " has p_filesz " + Hex.of(filesz) + " > p_memsz " + Hex.of(memsz)
                        + " (program header at " + Hex.of(ph) + "): the ELF is corrupt; relink it");
            }
            if (Long.compareUnsigned(memsz, MAX_SEGMENT) > 0) {
                throw new BadImageException(seg + " has an absurd p_memsz " + Hex.of(memsz)
                        + " (more than 4 GiB, program header at " + Hex.of(ph) + "): the ELF is corrupt");
            }
            if (memsz == 0) {
                continue;
            }
            if (Long.compareUnsigned(paddr, -1L - memsz) > 0) {
                throw new BadImageException(seg + " [" + Hex.of(paddr) + " + " + Hex.of(memsz)
                        + ") wraps around the address space: the ELF is corrupt");
            }
            if (!b.has(offset, filesz)) {
                throw new BadImageException(seg + " wants file bytes [" + Hex.of(offset) + ", "
                        + Hex.of(offset + filesz) + ") but the file has " + Hex.of(bytes.length)
                        + " bytes: the file is truncated");
            }
            segments.add(new ElfImage.Segment(i, paddr, vaddr, b.slice(offset, filesz, "segment " + i), memsz, flags));
        }
        if (segments.isEmpty()) {
            throw new BadImageException(name + ": ELF has no PT_LOAD segment with a non-zero size: nothing to load");
        }
        List<ElfImage.Segment> byAddr = new ArrayList<>(segments);
        byAddr.sort(Comparator.comparingLong(s -> s.paddr() ^ Long.MIN_VALUE));
        for (int i = 1; i < byAddr.size(); i++) {
            ElfImage.Segment prev = byAddr.get(i - 1);
            ElfImage.Segment cur = byAddr.get(i);
            long prevEnd = prev.paddr() + prev.memSize();
            if (Long.compareUnsigned(cur.paddr(), prevEnd) < 0) {
                throw new BadImageException(name + ": segments " + prev.index() + " "
                        + Hex.range(prev.paddr(), prevEnd) + " and " + cur.index() + " "
                        + Hex.range(cur.paddr(), cur.paddr() + cur.memSize())
                        + " overlap in physical memory (p_paddr): fix the linker script");
            }
        }
        SymbolTable symbols = readSymbols(b, shoff, shentsize, shnum);
        return new ElfImage(name, entry, segments, symbols, LineTable.of(name, bytes));
    }

    /** FUNC, OBJECT and section-relative NOTYPE symbols from the first SHT_SYMTAB section; a damaged symbol table is refused, a missing one is fine. */
    private static SymbolTable readSymbols(Bytes b, long shoff, int shentsize, int shnum) {
        if (shoff == 0 || shnum == 0) {
            return SymbolTable.empty();
        }
        String name = "section header table";
        if (shentsize != SHDR_SIZE) {
            throw new BadImageException(bName(b) + ": ELF e_shentsize " + shentsize + " at offset 0x3a is not " + SHDR_SIZE
                    + ": the header is corrupt; strip the file or relink");
        }
        if (shnum > MAX_SHDRS) {
            throw new BadImageException(bName(b) + ": ELF e_shnum " + shnum + " is absurd: the header is corrupt");
        }
        b.need(shoff, (long) shnum * SHDR_SIZE, name + " (e_shoff " + Hex.of(shoff) + ")");
        for (int i = 0; i < shnum; i++) {
            long sh = shoff + (long) i * SHDR_SIZE;
            if (b.u32le(sh + 4, "sh_type") != SHT_SYMTAB) {
                continue;
            }
            long off = b.u64le(sh + 24, "sh_offset");
            long size = b.u64le(sh + 32, "sh_size");
            long link = b.u32le(sh + 40, "sh_link");
            long entsize = b.u64le(sh + 56, "sh_entsize");
            if (entsize != SYM_SIZE) {
                throw new BadImageException(bName(b) + ": .symtab (section " + i + ") has sh_entsize " + entsize
                        + ", expected " + SYM_SIZE + ": the ELF is corrupt; strip it (aarch64-linux-gnu-strip) to boot without symbols");
            }
            if (link >= shnum) {
                throw new BadImageException(bName(b) + ": .symtab (section " + i + ") links to string table section "
                        + link + " of " + shnum + ": the ELF is corrupt; strip it to boot without symbols");
            }
            b.need(off, size, ".symtab contents (section " + i + ")");
            long strSh = shoff + link * SHDR_SIZE;
            long strOff = b.u64le(strSh + 24, "sh_offset of .strtab");
            long strSize = b.u64le(strSh + 32, "sh_size of .strtab");
            b.need(strOff, strSize, ".strtab contents (section " + link + ")");
            long count = size / SYM_SIZE;
            if (count > MAX_SYMBOLS) {
                throw new BadImageException(bName(b) + ": .symtab has " + count + " symbols, more than " + MAX_SYMBOLS + ": corrupt?");
            }
            List<SymbolTable.Symbol> syms = new ArrayList<>();
            for (long k = 1; k < count; k++) {      // entry 0 is the null symbol
                long s = off + k * SYM_SIZE;
                long nameOff = b.u32le(s, "st_name");
                int info = b.u8(s + 4, "st_info");
                int shndx = b.u16le(s + 6, "st_shndx");
                long value = b.u64le(s + 8, "st_value");
                long ssize = b.u64le(s + 16, "st_size");
                int stt = info & 0xf;
                boolean label = stt == STT_NOTYPE && shndx < SHN_LORESERVE;
                if ((stt != STT_FUNC && stt != STT_OBJECT && !label) || shndx == 0) {
                    continue;
                }
                if (nameOff >= strSize) {
                    throw new BadImageException(bName(b) + ": symbol " + k + " has st_name " + Hex.of(nameOff)
                            + " outside .strtab (size " + Hex.of(strSize) + "): the ELF is corrupt; strip it to boot without symbols");
                }
                String sym = cString(b, strOff + nameOff, strOff + strSize);
                if (sym.isEmpty() || (label && (sym.startsWith("$") || sym.startsWith(".L")))) {
                    continue;    // AArch64 mapping symbols ($x, $d) and assembler locals name no code
                }
                SymbolTable.Kind kind = stt == STT_FUNC ? SymbolTable.Kind.FUNC
                        : stt == STT_OBJECT ? SymbolTable.Kind.OBJECT : SymbolTable.Kind.LABEL;
                syms.add(new SymbolTable.Symbol(sym, value, ssize, kind));
            }
            return SymbolTable.of(syms);
        }
        return SymbolTable.empty();
    }

    private static String bName(Bytes b) {
        return b.name();
    }

    private static String cString(Bytes b, long start, long limit) {
        byte[] a = b.array();
        int end = (int) start;
        while (end < limit && a[end] != 0) {
            end++;
        }
        return new String(a, (int) start, end - (int) start, StandardCharsets.UTF_8);
    }

    /** Human name of an ELF e_machine value, for refusals. */
    static String machineName(int machine) {
        return switch (machine) {
            case 3 -> "x86";
            case 8 -> "MIPS";
            case 20 -> "PowerPC";
            case 21 -> "PowerPC64";
            case 22 -> "s390";
            case 40 -> "ARM";
            case 62 -> "x86-64";
            case 183 -> "AArch64";
            case 243 -> "RISC-V";
            case 258 -> "LoongArch";
            default -> "machine-" + machine;
        };
    }
}
