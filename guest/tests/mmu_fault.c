// MMU faults: identity tables (common/mmu.c, 4 KiB granule) with one 4 KiB
// test page per attribute — normal RW, read-only, access flag clear, EL1-only,
// execute-never, EL0 RW (UXN) and an unmapped hole — plus unmapped addresses
// at levels 1 and 2 and one outside the 39-bit VA range. Each access that
// must fault is one instruction at a known address; the handler prints EC,
// DFSC/IFSC, WnR and whether FAR and ELR are the expected ones, then skips
// the access (ELR += 4, x0 = FAULTED) or, for an instruction abort, returns
// to the caller (ELR = LR). mmu_el0.c builds the EL0 variant: the same
// tables, accesses from EL0 through el0_call (data aborts EC 0x24, an
// instruction abort EC 0x20 on a UXN page).
#include "mmu.h"

#define FAULTED 0xfa17UL

enum { P_RW, P_RO, P_NOAF, P_EL1, P_XN, P_HOLE, P_USER, NPAGES };
static u8 pages[NPAGES][4096] __attribute__((aligned(4096)));

__asm__(
    "   .text\n"
    "   .globl mmu_load, mmu_store, mmu_call, load_site, store_site\n"
    "mmu_load:\n"                // u64 mmu_load(u64 addr)
    "load_site:\n"
    "   ldr x0, [x0]\n"
    "   ret\n"
    "mmu_store:\n"               // u64 mmu_store(u64 addr, u64 v): 0, or FAULTED
    "   mov x2, x0\n"
    "   mov x0, #0\n"
    "store_site:\n"
    "   str x1, [x2]\n"
    "   ret\n"
    "mmu_call:\n"                // u64 mmu_call(u64 addr): blr to addr
    "   stp x29, x30, [sp, #-16]!\n"
    "   blr x0\n"
    "   ldp x29, x30, [sp], #16\n"
    "   ret\n"
    // EL0 code in its own page, mapped read-only and executable for EL0.
    "   .section .text.el0, \"ax\"\n"
    "   .balign 4096\n"
    "   .globl el0_page, el0_load, el0_load_site, el0_jump\n"
    "el0_page:\n"
    "el0_load:\n"                // x0 = address: load it, hand x0 back to EL1
    "el0_load_site:\n"
    "   ldr x0, [x0]\n"
    "   svc #0\n"
    "el0_jump:\n"                // x0 = address: branch there
    "   br x0\n"
    "   .balign 4096\n"
    "   .text\n");
u64 mmu_load(u64 addr);
u64 mmu_store(u64 addr, u64 v);
u64 mmu_call(u64 addr);
extern char load_site[], store_site[], el0_page[], el0_load_site[];
void el0_load(u64 addr);
void el0_jump(u64 addr);

static u64 expect_far;

void exc_handler(struct frame *f, u64 vec) {
    u64 esr = READ_SYSREG(esr_el1), far = READ_SYSREG(far_el1), ec = esr_ec(esr);
    if (ec == EC_SVC64 && vec == VEC_LOWER_SYNC) {   // EL0 is done
        el0_return(f, f->x[0]);
        return;
    }
    puts("  abort: vector=");
    put_hex(vec);
    puts(" EC=");
    put_hex(ec);
    puts(ec == EC_IABT_CUR || ec == EC_IABT_LOW ? " IFSC=" : " DFSC=");
    put_hex(esr & 0x3f);
    if (ec == EC_DABT_CUR || ec == EC_DABT_LOW) {
        puts(" WnR=");
        put_dec((esr >> 6) & 1);
    }
    if (far == expect_far) {
        puts(" FAR ok");
    } else {
        puts(" FAR=");
        put_hex(far);
    }
    if (ec == EC_DABT_CUR || ec == EC_DABT_LOW) {
        u64 site = (u64)(ec == EC_DABT_LOW ? el0_load_site : (esr >> 6) & 1 ? store_site : load_site);
        puts(f->elr == site ? " ELR at the access\n" : " ELR elsewhere\n");
        f->elr += 4;
        f->x[0] = FAULTED;
    } else if (ec == EC_IABT_CUR) {
        puts(f->elr == expect_far ? " ELR at the target\n" : " ELR elsewhere\n");
        f->elr = f->x[30];
        f->x[0] = FAULTED;
    } else if (ec == EC_IABT_LOW) {
        puts(f->elr == expect_far ? " ELR at the target\n" : " ELR elsewhere\n");
        el0_return(f, FAULTED);
    } else {
        puts(" unexpected\n");
        semihost_exit(1);
    }
}

static void result(u64 v) {
    if (v == FAULTED) {
        puts("  -> faulted\n");
    } else {
        puts("  -> ");
        put_hex(v);
        uart_putc('\n');
    }
}

static u64 at(int page) { return (u64)pages[page] + 0x18; }

static void load(const char *what, u64 addr) {
    puts(what);
    uart_putc('\n');
    expect_far = addr;
    result(mmu_load(addr));
}

__attribute__((unused)) static void store(const char *what, u64 addr, u64 v) {
    puts(what);
    uart_putc('\n');
    expect_far = addr;
    result(mmu_store(addr, v));
}

__attribute__((unused)) static void el0(const char *what, void (*fn)(u64), u64 addr) {
    puts(what);
    uart_putc('\n');
    expect_far = addr;
    result(el0_call(fn, addr, 0, SPSR_EL0T));
}

int main(void) {
    vectors_install();
    for (int p = 0; p < NPAGES; p++) *(volatile u64 *)at(p) = 0x1000 + p;
    // A `ret` at the start of the XN and EL0 pages: never executed if XN works.
    *(volatile u32 *)pages[P_XN] = 0xd65f03c0;
    *(volatile u32 *)pages[P_USER] = 0xd65f03c0;

    pte_t *l1, *l3 = mmu_identity(&l1, 0x40000000UL, 128UL << 20, (u64)pages);
    const u64 base = PTE_SH_INNER | PTE_NORMAL | PTE_PAGE;
    *mmu_l3_entry(l3, at(P_RO)) = (at(P_RO) & ~0xfffUL) | base | PTE_AF | PTE_AP_EL1_RO | PTE_UXN;
    *mmu_l3_entry(l3, at(P_NOAF)) = (at(P_NOAF) & ~0xfffUL) | base | PTE_AP_EL1_RW | PTE_UXN;
    *mmu_l3_entry(l3, at(P_XN)) = (at(P_XN) & ~0xfffUL) | base | PTE_AF | PTE_AP_EL1_RW | PTE_UXN | PTE_PXN;
    *mmu_l3_entry(l3, at(P_HOLE)) = 0;
    *mmu_l3_entry(l3, at(P_USER)) = (at(P_USER) & ~0xfffUL) | base | PTE_AF | PTE_AP_RW | PTE_UXN;
    *mmu_l3_entry(l3, (u64)el0_page) = (u64)el0_page | base | PTE_AF | PTE_AP_RO;
    mmu_enable(l1);
    puts("mmu on\n");

#ifndef MMU_EL0
    load("load from the RW page", at(P_RW));
    store("store to the RW page", at(P_RW), 0x77);
    load("load it back", at(P_RW));
    load("load from the read-only page", at(P_RO));
    store("store to the read-only page (permission fault, level 3)", at(P_RO), 0x77);
    load("load from the page with AF clear (access flag fault, level 3)", at(P_NOAF));
    store("store to the page with AF clear", at(P_NOAF), 0x77);
    load("load from the unmapped page (translation fault, level 3)", at(P_HOLE));
    load("load from 0x48000000, past RAM (translation fault, level 2)", 0x48000000UL);
    load("load from 0x80000000 (translation fault, level 1)", 0x80000000UL);
    store("store to 0x8000000000, outside the 39-bit VA range (level 0)", 0x8000000000UL, 0x77);
    puts("call into the execute-never page (instruction abort)\n");
    expect_far = (u64)pages[P_XN];
    result(mmu_call((u64)pages[P_XN]));
#else
    el0("EL0 load from the EL0 RW page", el0_load, at(P_USER));
    el0("EL0 load from the EL1-only page (permission fault from EL0)", el0_load, at(P_EL1));
    el0("EL0 load from the unmapped page", el0_load, at(P_HOLE));
    el0("EL0 jump into the EL0 RW page, UXN set (instruction abort from EL0)", el0_jump, (u64)pages[P_USER]);
    load("EL1 load from the EL0 RW page still works", at(P_USER));
#endif
    puts("done\n");
    return 0;
}
