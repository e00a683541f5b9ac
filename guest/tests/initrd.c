// Linux-style boot with an initrd (QEMU -kernel Image -initrd FILE -append ARGS):
// reads /chosen from the DTB in x0 and prints the properties in tree order, where
// the initrd is, its size, its first line and an FNV-1a hash of its bytes
// (QEMU 7.2 writes linux,initrd-start/end as one cell each).
#include "lib.h"

#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static u32 align4(u32 v) { return (v + 3) & ~3u; }

static u64 be64(const u8 *p) { return ((u64)be32(p) << 32) | be32(p + 4); }

int main(void) {
    const u8 *fdt = (const u8 *)boot_x0;
    put_kv_hex("x0", boot_x0);
    if (!fdt || be32(fdt) != 0xd00dfeed) {
        puts("initrd: no DTB in x0\n");
        return 1;
    }
    const u8 *structs = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    u32 size = be32(fdt + 36);
    u64 start = 0, end = 0;
    int depth = 0, in_chosen = 0;
    for (u32 off = 0; off < size;) {
        u32 token = be32(structs + off);
        off += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *)structs + off;
            off = align4(off + strlen(name) + 1);
            depth++;
            in_chosen = depth == 2 && strcmp(name, "chosen") == 0;
        } else if (token == FDT_END_NODE) {
            depth--;
            in_chosen = 0;
        } else if (token == FDT_PROP) {
            u32 len = be32(structs + off);
            const char *pname = strings + be32(structs + off + 4);
            const u8 *val = structs + off + 8;
            off = align4(off + 8 + len);
            // QEMU adds random rng-seed and kaslr-seed: not part of the transcript.
            if (!in_chosen || strcmp(pname, "rng-seed") == 0 || strcmp(pname, "kaslr-seed") == 0) continue;
            puts("chosen.");
            puts(pname);
            if (strcmp(pname, "linux,initrd-start") == 0 || strcmp(pname, "linux,initrd-end") == 0) {
                u64 v = len == 8 ? be64(val) : be32(val);
                puts(len == 8 ? " (2 cells)=" : " (1 cell)=");
                put_hex(v);
                if (pname[13] == 's') start = v; else end = v;
            } else {
                puts("=");
                puts((const char *)val);
            }
            uart_putc('\n');
        } else if (token == FDT_END) {
            break;
        }
    }
    if (!start || end <= start) {
        puts("initrd: none\n");
        return 0;
    }
    puts("initrd.size=");
    put_dec((s64)(end - start));
    puts("\ninitrd.dtb_after=");
    put_dec(boot_x0 >= end);
    puts("\ninitrd.first_line=");
    const u8 *p = (const u8 *)start;
    for (u64 i = 0; i < end - start && i < 60 && p[i] != '\n'; i++) {
        uart_putc(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '.');
    }
    u32 h = 2166136261u;
    for (u64 i = 0; i < end - start; i++) {
        h = (h ^ p[i]) * 16777619u;
    }
    puts("\ninitrd.fnv1a=");
    put_hex32(h);
    puts("\ninitrd: done\n");
    return 0;
}
