// Software-generated interrupts to self (GICv2 GICD_SGIR, GICv3 ICC_SGI1R_EL1)
// with different priorities. Polling with IRQs masked: pending bits, IAR picks
// the highest priority, sets active, raises the running priority, and returns
// 1023 while only lower-priority SGIs are pending; two acknowledged at once
// (the second preempting) are EOIed innermost first, RPR stepping back. Then
// with IRQs unmasked the handler sees the SGIs in priority order.
#include "gic.h"

static volatile u32 taken, order[8];

static void state(const char *what) {
    puts(what);
    puts(": pending=");
    put_hex(gic_pending_mask() & 0xffff);
    puts(" active=");
    u32 active = 0;
    for (u32 i = 0; i < 16; i++) active |= (u32)gic_active(i) << i;
    put_hex(active);
    puts(" RPR=");
    put_hex(gic_running_priority());
    uart_putc('\n');
}

static u32 ack(void) {
    u32 iar = gic_ack();
    puts("ack -> ");
    put_dec(iar);
    uart_putc('\n');
    return iar;
}

static void eoi(u32 iar) {
    puts("eoi ");
    put_dec(iar);
    uart_putc('\n');
    gic_eoi(iar);
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
    puts("irq: SGI ");
    put_dec(iar);
    puts(" RPR=");
    put_hex(gic_running_priority());
    uart_putc('\n');
    if (taken < 8) order[taken] = iar;
    taken++;
    gic_eoi(iar);
}

int main(void) {
    int v = gic_discover();
    puts("gic: v");
    put_dec(v);
    uart_putc('\n');
    if (!v) return 1;
    vectors_install();
    gic_init();
    gic_enable(3, 0x80);
    gic_enable(5, 0x40);
    gic_enable(7, 0xc0);
    state("idle");

    puts("-- polling: raise 3 (0x80), 7 (0xc0), 5 (0x40)\n");
    gic_send_sgi_self(3);
    gic_send_sgi_self(7);
    gic_send_sgi_self(5);
    state("raised");
    u32 a = ack();
    state("after ack");
    ack();   // 3 and 7 cannot preempt priority 0x40: spurious
    eoi(a);
    state("after eoi");
    a = ack();
    ack();   // 7 cannot preempt 0x80
    eoi(a);
    a = ack();
    eoi(a);
    ack();
    state("drained");

    puts("-- nesting: raise 3, ack, raise 5, ack\n");
    gic_send_sgi_self(3);
    u32 outer = ack();
    gic_send_sgi_self(5);
    u32 inner = ack();
    state("both active");
    eoi(inner);
    state("after inner eoi");
    eoi(outer);
    state("after outer eoi");

    puts("-- interrupts: raise 7, 3, 5 masked, then unmask\n");
    gic_send_sgi_self(7);
    gic_send_sgi_self(3);
    gic_send_sgi_self(5);
    IRQ_ON();
    for (u32 i = 0; i < 100000 && taken < 3; i++) { }
    IRQ_OFF();
    puts("main: taken ");
    put_dec(taken);
    puts(", order");
    for (u32 i = 0; i < taken && i < 8; i++) {
        uart_putc(' ');
        put_dec(order[i]);
    }
    uart_putc('\n');
    state("end");
    return 0;
}
