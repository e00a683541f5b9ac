/* Identity-mapped MMU (4K granule, 39-bit VA) and the kernel heap.
 * Code+rodata: read-only, executable (EL1 and EL0). Everything else in RAM:
 * read-write, execute-never (UXN|PXN). Devices (first GiB): EL1 only, XN. */
#include "kernel.h"

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* level 0-2: table; level 3: page */
#define PTE_PAGE (1UL << 1)
#define PTE_ATTR(i) ((u64)(i) << 2)
#define PTE_AP_RW_ALL (1UL << 6)
#define PTE_AP_RO_ALL (3UL << 6)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define ATTR_DEVICE 0
#define ATTR_NORMAL 1

#define L3_TABLES 4 /* 4K pages for the first 8 MiB of RAM (image + heap) */

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3[L3_TABLES][512] __attribute__((aligned(4096)));

void mmu_init(void)
{
	u64 ram = 0x40000000;
	u64 ram_size = board.ram_size ? board.ram_size : (128UL << 20);
	if (ram_size > (1UL << 30))
		ram_size = 1UL << 30;
	u64 text0 = (u64)_text_start, text1 = (u64)_etext;
	u64 data = PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_AP_RW_ALL | PTE_SH_INNER | PTE_AF | PTE_PXN | PTE_UXN;
	u64 code = PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_AP_RO_ALL | PTE_SH_INNER | PTE_AF;

	/* First GiB: devices (GIC, UART, virtio-mmio), EL1 only. */
	l1[0] = 0 | PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN;
	l1[1] = (u64)l2_ram | PTE_VALID | PTE_TABLE;
	for (u64 i = 0; i < 512; i++) {
		u64 pa = ram + i * (2UL << 20);
		if (pa >= ram + ram_size)
			break;
		if (i < L3_TABLES) {
			for (u64 j = 0; j < 512; j++) {
				u64 p = pa + j * 4096;
				l3[i][j] = p | PTE_PAGE | ((p >= text0 && p < text1) ? code : data);
			}
			l2_ram[i] = (u64)l3[i] | PTE_VALID | PTE_TABLE;
		} else {
			l2_ram[i] = pa | data; /* 2 MiB block */
		}
	}
	dsb();
	sysreg_write(mair_el1, 0x00UL | (0xffUL << 8));
	/* T0SZ=25, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, EPD1, IPS=36 bit */
	sysreg_write(tcr_el1, 25UL | (1UL << 8) | (1UL << 10) | (3UL << 12) | (1UL << 23) | (1UL << 32));
	sysreg_write(ttbr0_el1, (u64)l1);
	isb();
	__asm__ volatile("tlbi vmalle1; dsb sy; isb" ::: "memory");
	u64 sctlr = sysreg_read(sctlr_el1);
	sctlr |= (1 << 0) | (1 << 2) | (1 << 12); /* M, C, I */
	sctlr &= ~((1UL << 1) | (1UL << 19));     /* no alignment check, no WXN */
	sysreg_write(sctlr_el1, sctlr);
	isb();
}

/* Unmap one 4 KiB page of the L3-mapped region (stack guard pages). */
void mmu_guard_page(void *va)
{
	u64 a = (u64)va, off = a - 0x40000000;
	if (a < 0x40000000 || off >= (u64)L3_TABLES * (2UL << 20))
		return;
	l3[off >> 21][(off >> 12) & 511] = 0;
	dsb();
	__asm__ volatile("tlbi vaae1, %0; dsb sy; isb" ::"r"(a >> 12) : "memory");
}

/* ---- heap: power-of-two size classes over a bump region after the image ---- */
static u64 heap_cur, heap_end;
#define NCLASS 14 /* 32 B .. 256 KiB */
static void *freelist[NCLASS];

struct hdr { u64 cls; u64 pad; };

void heap_init(void)
{
	heap_cur = ALIGN_UP((u64)_end, 4096);
	heap_end = 0x40000000 + (u64)L3_TABLES * (2UL << 20);
}

void *kalloc_pages(size_t n, int zero)
{
	u64 f = irq_save();
	u64 p = ALIGN_UP(heap_cur, 4096);
	n = ALIGN_UP(n, 4096);
	if (p + n > heap_end)
		panic("out of kernel memory (pages)");
	heap_cur = p + n;
	irq_restore(f);
	if (zero)
		memset((void *)p, 0, n);
	return (void *)p;
}

void *kmalloc(size_t n)
{
	int c = 0;
	while (c < NCLASS && (32UL << c) < n + sizeof(struct hdr))
		c++;
	if (c >= NCLASS)
		return 0;
	u64 f = irq_save();
	struct hdr *h = freelist[c];
	if (h) {
		freelist[c] = *(void **)h;
	} else {
		u64 sz = 32UL << c;
		if (heap_cur + sz > heap_end) {
			irq_restore(f);
			return 0;
		}
		h = (struct hdr *)heap_cur;
		heap_cur += sz;
	}
	irq_restore(f);
	h->cls = c;
	return h + 1;
}

void *kzalloc(size_t n)
{
	void *p = kmalloc(n);
	if (p)
		memset(p, 0, n);
	return p;
}

void kfree(void *p)
{
	if (!p)
		return;
	struct hdr *h = (struct hdr *)p - 1;
	if (h->cls >= NCLASS)
		panic("kfree: corrupt heap header at %p", p);
	u64 c = h->cls;
	u64 f = irq_save();
	*(void **)h = freelist[c];
	freelist[c] = h;
	irq_restore(f);
}

/* User pointers: must lie inside RAM data (write) or RAM incl. code (read). */
int uaccess_ok(const void *p, size_t n, int write)
{
	u64 a = (u64)p;
	u64 lo = write ? (u64)_etext : (u64)_text_start;
	u64 hi = 0x40000000 + (board.ram_size ? board.ram_size : (128UL << 20));
	if (n == 0)
		return 1;
	if (a < lo || a >= hi || n > hi - a)
		return 0;
	return 1;
}
