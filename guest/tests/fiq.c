// Group 0 interrupts as FIQ: the virtual timer (PPI 27) in group 0 and SGI 2
// in group 1 at a lower priority (the GIC signals only the highest priority
// pending interrupt, as FIQ or IRQ by its group). With only PSTATE.F clear
// the timer enters the FIQ vector (+0x300) and is acknowledged through
// ICC_IAR0_EL1 / GICC_IAR while the SGI stays pending; clearing PSTATE.I then
// takes the SGI at the IRQ vector (+0x280).
#include "gic.h"

#define SGI_IRQ 2

static volatile u32 fiq_done, irq_done;

void exc_handler(struct frame *f, u64 vec) {
    (void)f;
    if (vec == VEC_CUR_SPX_IRQ + 0x80) {   // FIQ, current EL with SP_ELx
        u32 iar = gic_ack0();
        puts("fiq: vector ");
        put_hex(vec);
        puts(" IAR0=");
        put_dec(iar);
        vtimer_stop();
        puts(gic_pending(SGI_IRQ) ? ", SGI 2 pending\n" : ", SGI 2 not pending\n");
        gic_eoi0(iar);
        fiq_done = 1;
    } else if (vec == VEC_CUR_SPX_IRQ) {
        u32 iar = gic_ack();
        puts("irq: vector ");
        put_hex(vec);
        puts(" IAR1=");
        put_dec(iar);
        uart_putc('\n');
        gic_eoi(iar);
        irq_done = 1;
    } else {
        puts("unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", READ_SYSREG(esr_el1));
        semihost_exit(1);
    }
}

int main(void) {
    int v = gic_discover();
    puts("gic: v");
    put_dec(v);
    uart_putc('\n');
    if (!v) return 1;
    vectors_install();
    gic_init();
    gic_set_group(PPI_VTIMER, 0);
    gic_set_group(SGI_IRQ, 1);
    gic_fiq_enable();
    gic_enable(PPI_VTIMER, 0x40);   // above the SGI: the GIC signals only the highest pending
    gic_enable(SGI_IRQ, 0x80);
    gic_send_sgi_self(SGI_IRQ);
    vtimer_arm(cntfrq() / 1000);
    puts("main: SGI 2 raised, timer armed, msr daifclr, #1 (FIQ only)\n");
    __asm__ volatile("msr daifclr, #1; isb" : : : "memory");
    while (!fiq_done) { }
    puts("main: FIQ handled, IRQ handler runs ");
    put_dec(irq_done);
    puts("\nmain: msr daifclr, #2\n");
    IRQ_ON();
    for (u32 i = 0; i < 100000 && !irq_done; i++) { }
    __asm__ volatile("msr daifset, #3" : : : "memory");
    puts("main: IRQ handler runs ");
    put_dec(irq_done);
    uart_putc('\n');
    return 0;
}
