// mmu_fault's tables with the accesses made from EL0: a load from the EL0 RW
// page works; loads from the EL1-only page and the unmapped page abort with
// EC 0x24; a jump into a UXN page is an instruction abort with EC 0x20.
#define MMU_EL0
#include "mmu_fault.c"
