// Timer interrupts through the GIC the DTB names (v2: GICD/GICC MMIO,
// v3: GICR_WAKER handshake and ICC_* registers). The timer (CNTV_TVAL/CTL)
// fires PPI 27 every millisecond of virtual time; the IRQ handler
// acknowledges, checks ISTATUS and that the counter has reached CVAL, counts
// the tick, re-arms (stops after the last) and EOIs; main waits in wfi (IRQs
// unmasked) between ticks. Then an IAR read with nothing pending returns 1023.
// wfi_masked.c builds the Linux idle idiom variant, timer_phys.c the same with
// the EL1 physical timer (CNTP_*, PPI 30).
#include "gic.h"

#ifdef PHYS_TIMER   // timer_phys.c: the EL1 physical timer, PPI 30
#define TIMER_PPI PPI_PTIMER
#define TIMER_NAME "physical"
#define COUNTER() cntpct()
#define TIMER_CTL() READ_SYSREG(cntp_ctl_el0)
#define TIMER_CVAL() READ_SYSREG(cntp_cval_el0)
#define TIMER_ARM(t) ptimer_arm(t)
#define TIMER_STOP() ptimer_stop()
#else
#define TIMER_PPI PPI_VTIMER
#define TIMER_NAME "virtual"
#define COUNTER() cntvct()
#define TIMER_CTL() READ_SYSREG(cntv_ctl_el0)
#define TIMER_CVAL() READ_SYSREG(cntv_cval_el0)
#define TIMER_ARM(t) vtimer_arm(t)
#define TIMER_STOP() vtimer_stop()
#endif

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
    if ((iar & 0x3ff) != TIMER_PPI) {
        bad_iar++;
        puts("irq: IAR=");
        put_dec(iar);
        uart_putc('\n');
        if ((iar & 0x3ff) < 1020) gic_eoi(iar);
        return;
    }
    u64 ctl = TIMER_CTL();
    u64 reached = COUNTER() >= TIMER_CVAL();
    int active = gic_active(TIMER_PPI);
    u32 n = ++ticks;
    if (n < TICKS) TIMER_ARM(period);
    else TIMER_STOP();   // the line drops: nothing left pending
    gic_eoi(iar);
    puts("irq: tick ");
    put_dec(n);
    puts(" IAR=");
    put_dec(iar);
    puts(" ISTATUS=");
    put_dec((ctl >> 2) & 1);
    puts(reached ? " counter>=CVAL" : " counter<CVAL");
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
    gic_enable(TIMER_PPI, 0xa0);
    period = cntfrq() / 1000;
    puts("timer: " TIMER_NAME ", PPI ");
    put_dec(TIMER_PPI);
    puts(", period 1 ms\n");
    u64 start = COUNTER();
    TIMER_ARM(period);
#ifdef WFI_MASKED
    // Linux's idle idiom: wfi with IRQs masked (it wakes on a pending IRQ even
    // when masked), then unmask, which must take the IRQ at once.
    while (ticks < TICKS) {
        WFI();
        IRQ_ON();
        IRQ_OFF();
    }
#else
    // A tick landing between the check and the wfi leaves the wfi waiting for
    // the next tick, so the wait for the last tick spins instead.
    IRQ_ON();
    for (u32 t; (t = ticks) < TICKS; ) {
        if (t < TICKS - 1) WFI();
    }
    IRQ_OFF();
#endif
    u64 elapsed = COUNTER() - start;
    puts("main: ");
    put_dec(TICKS);
    puts(" ticks, IAR other than the timer's PPI: ");
    put_dec(bad_iar);
    puts(elapsed >= (u64)TICKS * period ? ", at least 5 periods elapsed\n" : ", less than 5 periods elapsed\n");
    u32 iar = gic_ack();
    puts("main: IAR with nothing pending = ");
    put_dec(iar);
    puts(", timer pending ");
    put_dec(gic_pending(TIMER_PPI));
    puts(", running priority ");
    put_hex(gic_running_priority());
    uart_putc('\n');
    return 0;
}
