// Walks the flattened device tree the board provides (x0 for Linux-style and
// ELF boots when non-zero, else the start of RAM as QEMU does for -bios) and
// prints a stable subset that QEMU virt and wirelab must agree on.
#include "lib.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

struct prop { const u8 *val; u32 len; };

// The properties of one top-level node that this guest looks at.
struct node {
    const char *name;
    struct prop compatible, reg, method, interrupts, stdout_path;
};

// What the walk found; printed in a fixed order so that the transcript does
// not depend on the order of the nodes in the tree.
static struct prop root_compatible, memory_reg, psci_method, pl011_reg, pl011_interrupts,
        timer_interrupts, stdout_path, intc_compatible;
static u32 virtio_count;

static int has_compatible(const struct prop *p, const char *want) {
    u32 i = 0;
    while (i < p->len) {
        const char *s = (const char *)p->val + i;
        if (strcmp(s, want) == 0) return 1;
        i += strlen(s) + 1;
    }
    return 0;
}

static void put_cells(const char *key, const struct prop *p) {
    puts(key);
    puts("=<");
    for (u32 i = 0; i + 4 <= p->len; i += 4) {
        if (i) uart_putc(' ');
        put_hex(be32(p->val + i));
    }
    puts(">\n");
}

static void put_string(const char *key, const struct prop *p) {
    puts(key);
    uart_putc('=');
    if (p->len) puts((const char *)p->val);   // first string of a list
    else puts("(missing)");
    uart_putc('\n');
}

static int starts_with(const char *s, const char *prefix) {
    while (*prefix) if (*s++ != *prefix++) return 0;
    return 1;
}

static void collect(const struct node *n) {
    if (starts_with(n->name, "memory")) memory_reg = n->reg;
    else if (strcmp(n->name, "psci") == 0) psci_method = n->method;
    else if (strcmp(n->name, "chosen") == 0) stdout_path = n->stdout_path;
    else if (has_compatible(&n->compatible, "arm,pl011")) {
        pl011_reg = n->reg;
        pl011_interrupts = n->interrupts;
    } else if (has_compatible(&n->compatible, "arm,armv8-timer")) timer_interrupts = n->interrupts;
    else if (has_compatible(&n->compatible, "virtio,mmio")) virtio_count++;
    else if (has_compatible(&n->compatible, "arm,gic-v3") || has_compatible(&n->compatible, "arm,cortex-a15-gic"))
        intc_compatible = n->compatible;
}

static u32 align4(u32 v) { return (v + 3) & ~3u; }

int main(void) {
    const u8 *fdt = find_dtb();
    puts(boot_x0 ? "dtb: pointer in x0\n" : "dtb: at start of RAM\n");
    u32 magic = be32(fdt);
    put_kv_hex("dtb.magic", magic);
    if (magic != FDT_MAGIC) return 1;
    const u8 *structs = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    u32 struct_size = be32(fdt + 36);

    struct node cur;
    int depth = 0;
    u32 off = 0;
    while (off < struct_size) {
        u32 token = be32(structs + off);
        off += 4;
        if (token == FDT_BEGIN_NODE) {
            const char *name = (const char *)structs + off;
            off = align4(off + strlen(name) + 1);
            depth++;
            if (depth == 2) {
                memset(&cur, 0, sizeof cur);
                cur.name = name;
            }
        } else if (token == FDT_END_NODE) {
            if (depth == 2) collect(&cur);
            depth--;
        } else if (token == FDT_PROP) {
            u32 len = be32(structs + off);
            const char *pname = strings + be32(structs + off + 4);
            struct prop p = { structs + off + 8, len };
            off = align4(off + 8 + len);
            if (depth == 1 && strcmp(pname, "compatible") == 0) root_compatible = p;
            if (depth != 2) continue;
            if (strcmp(pname, "compatible") == 0) cur.compatible = p;
            else if (strcmp(pname, "reg") == 0) cur.reg = p;
            else if (strcmp(pname, "method") == 0) cur.method = p;
            else if (strcmp(pname, "interrupts") == 0) cur.interrupts = p;
            else if (strcmp(pname, "stdout-path") == 0) cur.stdout_path = p;
        } else if (token == FDT_NOP) {
            continue;
        } else if (token == FDT_END) {
            break;
        } else {
            puts("dtb: bad token ");
            put_hex(token);
            uart_putc('\n');
            return 1;
        }
    }
    put_string("root.compatible", &root_compatible);
    put_cells("memory.reg", &memory_reg);
    put_string("psci.method", &psci_method);
    put_cells("pl011.reg", &pl011_reg);
    put_cells("pl011.interrupts", &pl011_interrupts);
    put_cells("timer.interrupts", &timer_interrupts);
    put_string("intc.compatible", &intc_compatible);
    put_string("chosen.stdout-path", &stdout_path);
    puts("virtio_mmio.count=");
    put_dec(virtio_count);
    puts("\ndtb: done\n");
    return 0;
}
