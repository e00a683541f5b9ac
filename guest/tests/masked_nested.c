// Masking and nesting. With PSTATE.I set the timer fires (ISTATUS) and PPI 27
// shows pending in GICD_ISPENDR0 / GICR_ISPENDR0 but is not taken until
// `msr daifclr, #2`. Inside the timer handler (priority 0xa0) SGI 2 (0xc0,
// lower) and SGI 1 (0x40, higher) are raised; after re-enabling IRQs only SGI 1
// preempts (nested, on a new frame), the timer handler resumes, and SGI 2 is
// taken after the timer's EOI and eret. The order of events is printed.
#include "gic.h"

#define SGI_HIGH 1
#define SGI_LOW 2

static volatile u32 nevents, timer_irqs, sgi_high_done, sgi_low_done;
static const char *events[16];

static void event(const char *e) {
    if (nevents < 16) events[nevents] = e;
    nevents++;
    puts("  ");
    puts(e);
    puts(" (RPR=");
    put_hex(gic_running_priority());
    puts(")\n");
}

static void pending(const char *what, u32 intid) {
    puts("  ");
    puts(what);
    puts(gic_pending(intid) ? " pending\n" : " not pending\n");
}

static void timer_handler(u32 iar) {
    timer_irqs++;
    event("timer: enter");
    vtimer_stop();
    gic_send_sgi_self(SGI_LOW);
    gic_send_sgi_self(SGI_HIGH);
    pending("SGI 2", SGI_LOW);
    pending("SGI 1", SGI_HIGH);
    event("timer: IRQs on");
    IRQ_ON();
    for (u32 i = 0; i < 100000 && !sgi_high_done; i++) { }
    IRQ_OFF();
    event("timer: resumed");
    pending("SGI 2", SGI_LOW);
    gic_eoi(iar);
    event("timer: eoi, return");
}

void exc_handler(struct frame *f, u64 vec) {
    (void)f;
    if (vec != VEC_CUR_SPX_IRQ) {
        puts("unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", READ_SYSREG(esr_el1));
        semihost_exit(1);
    }
    u32 iar = gic_ack();
    switch (iar & 0x3ff) {
    case PPI_VTIMER:
        timer_handler(iar);
        break;
    case SGI_HIGH:
        event("sgi 1: enter (nested)");
        gic_eoi(iar);
        sgi_high_done = 1;
        break;
    case SGI_LOW:
        event("sgi 2: enter");
        gic_eoi(iar);
        sgi_low_done = 1;
        break;
    default:
        puts("  IAR ");
        put_dec(iar);
        uart_putc('\n');
        if ((iar & 0x3ff) < 1020) gic_eoi(iar);
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
    gic_enable(PPI_VTIMER, 0xa0);
    gic_enable(SGI_HIGH, 0x40);
    gic_enable(SGI_LOW, 0xc0);

    puts("main: IRQs masked, timer armed\n");
    vtimer_arm(cntfrq() / 1000);
    while (!(READ_SYSREG(cntv_ctl_el0) & 4)) { }   // ISTATUS: the timer condition is met
    puts("main: timer fired (ISTATUS=1)\n");
    pending("PPI 27", PPI_VTIMER);
    puts("main: handler runs so far ");
    put_dec(timer_irqs);
    puts("\nmain: msr daifclr, #2\n");
    IRQ_ON();
    for (u32 i = 0; i < 100000 && !sgi_low_done; i++) { }
    IRQ_OFF();
    puts("main: back, timer handler runs ");
    put_dec(timer_irqs);
    puts("\norder:");
    for (u32 i = 0; i < nevents && i < 16; i++) {
        puts(i ? " | " : " ");
        puts(events[i]);
    }
    uart_putc('\n');
    pending("PPI 27", PPI_VTIMER);
    puts("main: RPR=");
    put_hex(gic_running_priority());
    uart_putc('\n');
    return 0;
}
