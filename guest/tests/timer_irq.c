// Virtual timer interrupts through the GIC the DTB names (v2: GICD/GICC MMIO,
// v3: GICR_WAKER handshake and ICC_* registers). The timer (CNTV_TVAL/CTL)
// fires PPI 27 every millisecond of virtual time; the IRQ handler
// acknowledges, checks ISTATUS and that the counter has reached CVAL, counts
// the tick, re-arms and EOIs; main waits in wfi (IRQs unmasked) between ticks.
// Then main masks IRQs and stops the timer, and an IAR read with nothing
// pending returns 1023. wfi_masked.c builds the Linux idle idiom variant.
#include "gic.h"

#define TICKS 5

static volatile u32 ticks;
static u32 bad_iar, period;

void exc_handler(struct frame *f, u64 vec) {
    (void)f;
    if (vec != VEC_CUR_SPX_IRQ) {
        puts("unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", READ_SYSREG(esr_el1));
        semihost_exit(1);
    }
    u32 iar = gic_ack();
    if ((iar & 0x3ff) != PPI_VTIMER) {
        bad_iar++;
        puts("irq: IAR=");
        put_dec(iar);
        uart_putc('\n');
        if ((iar & 0x3ff) < 1020) gic_eoi(iar);
        return;
    }
    u64 ctl = READ_SYSREG(cntv_ctl_el0);
    u64 reached = cntvct() >= READ_SYSREG(cntv_cval_el0);
    int active = gic_active(PPI_VTIMER);
    u32 n = ++ticks;
    vtimer_arm(period);   // always: a tick that lands between main's check and its wfi still wakes it
    gic_eoi(iar);
    if (n > TICKS) return;
    puts("irq: tick ");
    put_dec(n);
    puts(" IAR=");
    put_dec(iar);
    puts(" ISTATUS=");
    put_dec((ctl >> 2) & 1);
    puts(reached ? " CNTVCT>=CVAL" : " CNTVCT<CVAL");
    puts(active ? " was active\n" : " was not active\n");
}

int main(void) {
    int v = gic_discover();
    puts("gic: v");
    put_dec(v);
    uart_putc('\n');
    if (!v) return 1;
    vectors_install();
    gic_init();
    gic_enable(PPI_VTIMER, 0xa0);
    period = cntfrq() / 1000;
    puts("timer: period 1 ms of virtual time\n");
    u64 start = cntvct();
    vtimer_arm(period);
#ifdef WFI_MASKED
    // Linux's idle idiom: wfi with IRQs masked (it wakes on a pending IRQ even
    // when masked), then unmask, which must take the IRQ at once.
    while (ticks < TICKS) {
        WFI();
        IRQ_ON();
        IRQ_OFF();
    }
#else
    IRQ_ON();
    while (ticks < TICKS) WFI();
    IRQ_OFF();
#endif
    vtimer_stop();
    u64 elapsed = cntvct() - start;
    puts("main: ");
    put_dec(TICKS);
    puts(" ticks, IAR other than 27: ");
    put_dec(bad_iar);
    puts(elapsed >= (u64)TICKS * period ? ", at least 5 periods elapsed\n" : ", less than 5 periods elapsed\n");
    u32 iar = gic_ack();
    puts("main: IAR with nothing pending = ");
    put_dec(iar);
    puts(", timer pending ");
    put_dec(gic_pending(PPI_VTIMER));
    puts(", running priority ");
    put_hex(gic_running_priority());
    uart_putc('\n');
    return 0;
}
