// Stage 1 translation for the EL1&0 regime with a 4 KiB granule and a 39-bit
// VA (T0SZ 25: walks start at level 1; 1 GiB level 1 blocks, 2 MiB level 2
// blocks, 4 KiB level 3 pages). MAIR: index 0 Device-nGnRnE, 1 Normal WB.
#ifndef WIRELAB_TESTS_MMU_H
#define WIRELAB_TESTS_MMU_H
#include "exc.h"

#define PTE_VALID     (1UL << 0)
#define PTE_TABLE     (3UL << 0)     // level 1/2 table descriptor
#define PTE_BLOCK     (1UL << 0)     // level 1/2 block descriptor
#define PTE_PAGE      (3UL << 0)     // level 3 page descriptor
#define PTE_DEVICE    (0UL << 2)     // AttrIndx 0
#define PTE_NORMAL    (1UL << 2)     // AttrIndx 1
#define PTE_AP_EL1_RW (0UL << 6)
#define PTE_AP_RW     (1UL << 6)     // EL1 and EL0 read/write
#define PTE_AP_EL1_RO (2UL << 6)
#define PTE_AP_RO     (3UL << 6)     // EL1 and EL0 read-only
#define PTE_SH_INNER  (3UL << 8)
#define PTE_AF        (1UL << 10)
#define PTE_PXN       (1UL << 53)
#define PTE_UXN       (1UL << 54)

typedef u64 pte_t;

// An empty, 4 KiB-aligned table.
pte_t *mmu_table(void);
// Identity map: L1[0] = device block 0..1 GiB (EL1 only, never executable),
// RAM (ram_base, ram_size) as normal EL1 RW 2 MiB blocks, except the 2 MiB
// region around `around`, which gets a level 3 table of EL1 RW pages that is
// returned for the caller to adjust. Returns the level 1 table in *l1.
pte_t *mmu_identity(pte_t **l1, u64 ram_base, u64 ram_size, u64 around);
// The level 3 entry of address va in a table made by mmu_identity.
pte_t *mmu_l3_entry(pte_t *l3, u64 va);
// MAIR, TCR, TTBR0, TLB invalidate, SCTLR_EL1.M.
void mmu_enable(pte_t *l1);

#endif
