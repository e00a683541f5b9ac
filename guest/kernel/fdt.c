/* Minimal flattened device tree reader: finds RAM, PL011, GIC, virtio-mmio and
 * /chosen/bootargs. Assumes #address-cells = #size-cells = 2 at the root (as
 * QEMU virt and the wirelab board generate). */
#include "kernel.h"

struct board board;

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9

static u32 be32(const void *p)
{
	const u8 *b = p;
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}
static u64 be64(const void *p) { return (u64)be32(p) << 32 | be32((const u8 *)p + 4); }

static int has_compat(const char *list, u32 len, const char *want)
{
	u32 i = 0;
	while (i < len) {
		if (!strcmp(list + i, want))
			return 1;
		i += strlen(list + i) + 1;
	}
	return 0;
}

struct node {
	char name[32];
	const char *compat; u32 compat_len;
	const u8 *reg; u32 reg_len;
	const u8 *irq; u32 irq_len;
	const char *bootargs;
	int is_memory;
};

static void node_done(struct node *n, int depth)
{
	if (depth == 1 && !strcmp(n->name, "chosen") && n->bootargs) {
		size_t l = strlen(n->bootargs);
		if (l >= sizeof board.bootargs)
			l = sizeof board.bootargs - 1;
		memcpy(board.bootargs, n->bootargs, l);
		board.bootargs[l] = 0;
	}
	if (depth != 1)
		return;
	if (n->is_memory && n->reg && n->reg_len >= 16 && !board.ram_size) {
		board.ram_base = be64(n->reg);
		board.ram_size = be64(n->reg + 8);
	}
	if (!n->compat)
		return;
	if (has_compat(n->compat, n->compat_len, "arm,pl011") && n->reg && !board.uart)
		board.uart = be64(n->reg);
	if (has_compat(n->compat, n->compat_len, "arm,gic-v3") && n->reg && n->reg_len >= 32) {
		board.gic_version = 3;
		board.gicd = be64(n->reg);
		board.gicr = be64(n->reg + 16);
	}
	if ((has_compat(n->compat, n->compat_len, "arm,cortex-a15-gic") ||
	     has_compat(n->compat, n->compat_len, "arm,gic-400")) && n->reg && n->reg_len >= 32) {
		board.gic_version = 2;
		board.gicd = be64(n->reg);
		board.gicc = be64(n->reg + 16);
	}
	if (has_compat(n->compat, n->compat_len, "virtio,mmio") && n->reg && board.nvirtio < 32) {
		int i = board.nvirtio++;
		board.virtio_base[i] = be64(n->reg);
		/* interrupts = <type number flags>; type 0 = SPI (INTID 32 + n) */
		board.virtio_irq[i] = (n->irq && n->irq_len >= 12 && be32(n->irq) == 0) ? 32 + (int)be32(n->irq + 4) : -1;
	}
}

void fdt_scan(u64 dtb)
{
	if (!dtb || be32((void *)dtb) != FDT_MAGIC) {
		/* QEMU -kernel with an ELF puts the DTB at the start of RAM. */
		dtb = 0x40000000;
		if (be32((void *)dtb) != FDT_MAGIC)
			return;
	}
	board.dtb = dtb;
	const u8 *h = (const u8 *)dtb;
	const u8 *st = h + be32(h + 8);
	const char *strs = (const char *)h + be32(h + 12);
	const u8 *end = st + be32(h + 36);
	struct node stack[8];
	int depth = -1;
	const u8 *p = st;
	while (p < end) {
		u32 tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *nm = (const char *)p;
			size_t l = strlen(nm);
			p += ALIGN_UP(l + 1, 4);
			depth++;
			if (depth < 8) {
				struct node *n = &stack[depth];
				memset(n, 0, sizeof *n);
				size_t k = 0;
				while (k < sizeof n->name - 1 && nm[k] && nm[k] != '@') {
					n->name[k] = nm[k];
					k++;
				}
				n->is_memory = !strcmp(n->name, "memory");
			}
		} else if (tok == FDT_END_NODE) {
			if (depth >= 0 && depth < 8)
				node_done(&stack[depth], depth);
			depth--;
		} else if (tok == FDT_PROP) {
			u32 len = be32(p), off = be32(p + 4);
			const u8 *val = p + 8;
			p += 8 + ALIGN_UP(len, 4);
			if (depth < 0 || depth >= 8)
				continue;
			struct node *n = &stack[depth];
			const char *pn = strs + off;
			if (!strcmp(pn, "compatible"))
				n->compat = (const char *)val, n->compat_len = len;
			else if (!strcmp(pn, "reg"))
				n->reg = val, n->reg_len = len;
			else if (!strcmp(pn, "interrupts"))
				n->irq = val, n->irq_len = len;
			else if (!strcmp(pn, "bootargs"))
				n->bootargs = (const char *)val;
		} else if (tok == FDT_NOP) {
			continue;
		} else {
			break;
		}
	}
}

/* Value of "key=value" in bootargs (returned in a static buffer), or NULL. */
const char *bootarg(const char *key)
{
	static char val[64];
	size_t kl = strlen(key);
	const char *s = board.bootargs;
	while (*s) {
		while (*s == ' ')
			s++;
		if (!strncmp(s, key, kl) && (s[kl] == '=' || s[kl] == ' ' || !s[kl])) {
			size_t i = 0;
			const char *v = s[kl] == '=' ? s + kl + 1 : s + kl;
			while (v[i] && v[i] != ' ' && i < sizeof val - 1) {
				val[i] = v[i];
				i++;
			}
			val[i] = 0;
			return val;
		}
		while (*s && *s != ' ')
			s++;
	}
	return 0;
}
