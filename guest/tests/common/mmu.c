#include "mmu.h"

#define MAX_TABLES 4
static pte_t tables[MAX_TABLES][512] __attribute__((aligned(4096)));
static int used;

pte_t *mmu_table(void) {
    if (used == MAX_TABLES) {
        puts("mmu: out of tables\n");
        semihost_exit(1);
    }
    return tables[used++];   // .bss: already zero (invalid)
}

pte_t *mmu_identity(pte_t **l1_out, u64 ram_base, u64 ram_size, u64 around) {
    pte_t *l1 = mmu_table(), *l2 = mmu_table(), *l3 = mmu_table();
    const u64 normal = PTE_AF | PTE_SH_INNER | PTE_NORMAL | PTE_AP_EL1_RW | PTE_UXN;
    l1[0] = 0 | PTE_AF | PTE_DEVICE | PTE_AP_EL1_RW | PTE_UXN | PTE_PXN | PTE_BLOCK;
    l1[ram_base >> 30] = (u64)l2 | PTE_TABLE;
    u64 region = around & ~0x1fffffUL;
    for (u64 pa = ram_base; pa < ram_base + ram_size; pa += 0x200000)
        l2[(pa >> 21) & 511] = pa | normal | PTE_BLOCK;
    for (u64 i = 0; i < 512; i++) l3[i] = (region + i * 4096) | normal | PTE_PAGE;
    l2[(region >> 21) & 511] = (u64)l3 | PTE_TABLE;
    *l1_out = l1;
    return l3;
}

pte_t *mmu_l3_entry(pte_t *l3, u64 va) {
    return &l3[(va >> 12) & 511];
}

void mmu_enable(pte_t *l1) {
    WRITE_SYSREG(mair_el1, 0x00UL | 0xffUL << 8);
    u64 tcr = 25UL            // T0SZ: 39-bit VA, walks start at level 1
            | 1UL << 8        // IRGN0 write-back
            | 1UL << 10       // ORGN0 write-back
            | 3UL << 12       // SH0 inner shareable
            | 0UL << 14       // TG0 4 KiB
            | 25UL << 16      // T1SZ
            | 1UL << 23;      // EPD1: no TTBR1 walks (IPS 0: 32-bit PA)
    WRITE_SYSREG(tcr_el1, tcr);
    WRITE_SYSREG(ttbr0_el1, l1);
    __asm__ volatile("dsb ish; isb; tlbi vmalle1; dsb ish; isb" : : : "memory");
    WRITE_SYSREG(sctlr_el1, READ_SYSREG(sctlr_el1) | 1);
    ISB();
}
