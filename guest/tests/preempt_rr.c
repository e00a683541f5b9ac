// Preemptive round robin between two EL0 threads, A and B, driven by the
// virtual timer (1 ms). A thread waits for its `go` flag, records and prints
// its letter once, then runs a register-heavy busy loop (reg_check: x3..x30
// and NZCV must survive preemption) for 3 ms of virtual time (CNTVCT at EL0,
// CNTKCTL_EL1.EL0VCTEN), so it spans several slices on any host. The IRQ
// handler switches threads (full frame: x0..x30, SP_EL0, ELR, SPSR) only once
// the running thread has printed, so the transcript is the alternation
// ABAB... whatever the ratio of instructions to virtual time. After K
// switches EL1 prints the sequence, the switch count seen at each print,
// whether both threads completed a busy loop and every register check passed,
// and exits.
#include "gic.h"

#define K 16

__asm__(
    "   .text\n"
    "   .globl reg_check\n"
    "reg_check:\n"              // u64 reg_check(u64 seed, u64 ticks): 0 when intact
    "   stp x19, x20, [sp, #-96]!\n"
    "   stp x21, x22, [sp, #16]\n"
    "   stp x23, x24, [sp, #32]\n"
    "   stp x25, x26, [sp, #48]\n"
    "   stp x27, x28, [sp, #64]\n"
    "   stp x29, x30, [sp, #80]\n"
    "   isb\n"
    "   mrs x2, cntvct_el0\n"
    "   add x1, x1, x2\n"          // x1 = deadline
    "   .irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
    "   add x\\r, x0, #\\r\n"
    "   .endr\n"
    "1: mrs x2, cntvct_el0\n"
    "   cmp x2, x1\n"              // NZCV live between cmp and b.lo
    "   b.lo 1b\n"
    "   .irp r, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
    "   add x1, x0, #\\r\n"
    "   cmp x\\r, x1\n"
    "   b.ne 2f\n"
    "   .endr\n"
    "   mov x0, #0\n"
    "   b 3f\n"
    "2: mov x0, #1\n"
    "3: ldp x21, x22, [sp, #16]\n"
    "   ldp x23, x24, [sp, #32]\n"
    "   ldp x25, x26, [sp, #48]\n"
    "   ldp x27, x28, [sp, #64]\n"
    "   ldp x29, x30, [sp, #80]\n"
    "   ldp x19, x20, [sp], #96\n"
    "   ret\n");
u64 reg_check(u64 seed, u64 iterations);

static struct frame ctx[2];
static u8 stacks[2][4096] __attribute__((aligned(16)));
static volatile u32 go[2], printed[2], cur, switches, nseq, bad, checks[2];
static volatile char seq[K + 2];
static volatile u32 seq_at[K + 2];
static u64 period;

static void thread(u64 id) {
    for (;;) {
        while (!go[id]) { }
        go[id] = 0;
        u32 n = nseq;
        if (n < K + 2) {
            seq[n] = 'A' + id;
            seq_at[n] = switches;
        }
        nseq = n + 1;
        uart_putc('A' + id);
        printed[id] = 1;
        if (reg_check(0x1000 * (id + 1), 3 * period)) bad++;
        checks[id]++;
    }
}

static void finish(void) {
    puts("\nrr: ");
    put_dec(switches);
    puts(" switches, sequence ");
    for (u32 i = 0; i < nseq && i < K + 2; i++) uart_putc(seq[i]);
    puts("\nrr: printed at switch");
    for (u32 i = 0; i < nseq && i < K + 2; i++) {
        uart_putc(' ');
        put_dec(seq_at[i]);
    }
    puts(checks[0] && checks[1] ? "\nrr: both threads completed a busy loop" : "\nrr: a thread never completed its busy loop");
    puts(bad ? ", register check FAILED\n" : ", no register check failed\n");
    semihost_exit(0);
}

void exc_handler(struct frame *f, u64 vec) {
    if (vec != VEC_LOWER_IRQ) {
        puts("unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", READ_SYSREG(esr_el1));
        semihost_exit(1);
    }
    u32 iar = gic_ack();
    if ((iar & 0x3ff) != PPI_VTIMER) {
        puts("unexpected IAR ");
        put_dec(iar);
        uart_putc('\n');
        semihost_exit(1);
    }
    if (printed[cur]) {
        printed[cur] = 0;
        switches++;
        if (switches == K) finish();
        ctx[cur] = *f;
        cur ^= 1;
        *f = ctx[cur];
        go[cur] = 1;
    }
    vtimer_arm(period);
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
    gic_enable(PPI_VTIMER, 0xa0);
    period = cntfrq() / 1000;
    WRITE_SYSREG(cntkctl_el1, READ_SYSREG(cntkctl_el1) | 2);   // EL0VCTEN: EL0 reads CNTVCT
    ctx[1].x[0] = 1;
    ctx[1].elr = (u64)thread;
    ctx[1].spsr = SPSR_EL0T;
    ctx[1].sp_el0 = (u64)stacks[1] + sizeof stacks[1];
    puts("rr: starting thread A at EL0, 1 ms slices\n");
    go[0] = 1;
    vtimer_arm(period);
    el0_call(thread, 0, (u64)stacks[0] + sizeof stacks[0], SPSR_EL0T);
    return 1;   // not reached: finish() exits
}
