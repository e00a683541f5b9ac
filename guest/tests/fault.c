// Data abort: installs a vector table in VBAR_EL1, stores to 0x0b000000 (a hole
// in the virt memory map: after the virtio-mmio slots, before the platform
// bus; unmapped in QEMU and in wirelab), and the synchronous handler prints
// which vector was taken, ESR_EL1's class, WnR and fault status, FAR_EL1 and
// whether ELR_EL1 points at the faulting store, then exits with code 4.
// QEMU reports a synchronous external abort (EC 0x25, DFSC 0x10).
#include "lib.h"

#define HOLE 0x0b000000UL

__asm__(
    "   .section .text.vectors, \"ax\"\n"
    "   .balign 2048\n"
    "vectors:\n"
    "   .irp idx, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n"
    "   .balign 128\n"
    "   mov x0, #(\\idx * 0x80)\n"
    "   b   on_exception\n"
    "   .endr\n"
    "   .text\n"
    "   .globl fault_store\n"
    "fault_store:\n"                 // void fault_store(u64 addr): the faulting store
    "   mov w1, #0x5a\n"
    "fault_site:\n"
    "   str w1, [x0]\n"
    "   ret\n"
    "   .globl fault_site_addr\n"
    "fault_site_addr:\n"
    "   adr x0, fault_site\n"
    "   ret\n");

extern char vectors[];
void fault_store(u64 addr);
u64 fault_site_addr(void);

#define READ_SYSREG(name) ({ u64 v_; __asm__ volatile("mrs %0, " #name : "=r"(v_)); v_; })

void on_exception(u64 offset) __attribute__((noreturn, used));
void on_exception(u64 offset) {
    u64 esr = READ_SYSREG(esr_el1);
    u64 far = READ_SYSREG(far_el1);
    u64 elr = READ_SYSREG(elr_el1);
    put_kv_hex("fault: vector offset", offset);
    put_kv_hex("fault: ESR.EC", (esr >> 26) & 0x3f);
    put_kv_hex("fault: ESR.WnR", (esr >> 6) & 1);
    put_kv_hex("fault: ESR.DFSC", esr & 0x3f);
    put_kv_hex("fault: FAR", far);
    puts(elr == fault_site_addr() ? "fault: ELR at the store\n" : "fault: ELR elsewhere\n");
    semihost_exit(4);
}

int main(void) {
    __asm__ volatile("msr vbar_el1, %0; isb" : : "r"(vectors));
    puts("fault: storing to ");
    put_hex(HOLE);
    uart_putc('\n');
    fault_store(HOLE);
    puts("fault: store completed without an exception\n");
    return 1;
}
