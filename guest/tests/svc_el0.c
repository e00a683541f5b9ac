// System calls from EL0: main installs the vectors and erets to EL0 (SPSR
// EL0t) on a separate EL0 stack; the EL0 code issues svc #N with arguments in
// x0..x2. The EL1 handler prints ESR (EC 0x15, IL, imm16), ELR relative to the
// svc, that SP_EL0 was preserved and that it runs on the SP_EL1 stack, and
// answers in x0; EL0 prints the answers. svc #0 asks EL1 to leave EL0.
#include "exc.h"

static u8 el0_stack[4096] __attribute__((aligned(16)));

// svc #n with x0..x2; x8 = the svc's address and x9 = SP for the handler's checks.
#define SYSCALL(n, a0, a1, a2) ({                                                   \
    register u64 r0_ __asm__("x0") = (a0);                                          \
    register u64 r1_ __asm__("x1") = (a1);                                          \
    register u64 r2_ __asm__("x2") = (a2);                                          \
    __asm__ volatile("adr x8, 1f\n mov x9, sp\n1: svc #" #n                        \
                     : "+r"(r0_) : "r"(r1_), "r"(r2_) : "x8", "x9", "memory");      \
    r0_; })

static u64 calls;

void exc_handler(struct frame *f, u64 vec) {
    u64 esr = READ_SYSREG(esr_el1);
    if (vec != VEC_LOWER_SYNC || esr_ec(esr) != EC_SVC64) {
        puts("el1: unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", esr);
        semihost_exit(1);
    }
    u64 imm = esr & 0xffff;
    calls++;
    put_kv_hex("el1: svc ESR", esr);
    puts("el1: EC=");
    put_hex(esr_ec(esr));
    puts(" IL=");
    put_dec((esr >> 25) & 1);
    puts(" imm16=");
    put_hex(imm);
    puts(" ELR-svc=");
    put_dec((s64)(f->elr - f->x[8]));
    puts(" SPSR.M=");
    put_hex(f->spsr & 0xf);
    puts(f->sp_el0 == f->x[9] ? " SP_EL0 kept" : " SP_EL0 changed");
    u64 here = (u64)f;
    int on_el0 = here >= (u64)el0_stack && here < (u64)el0_stack + sizeof el0_stack;
    puts(on_el0 ? " frame on the EL0 stack\n" : " frame on the EL1 stack\n");
    switch (imm) {
    case 0:
        puts("el1: exit request, code ");
        put_dec(f->x[0]);
        uart_putc('\n');
        el0_return(f, f->x[0]);
        return;
    case 1:   // write(str): the string's length
        puts("el1: write \"");
        puts((const char *)f->x[0]);
        puts("\"\n");
        f->x[0] = strlen((const char *)f->x[0]);
        return;
    case 2:   // add3(a, b, c)
        f->x[0] = f->x[0] + f->x[1] + f->x[2];
        return;
    case 0x1234:   // the number of system calls so far
        f->x[0] = calls;
        return;
    default:
        f->x[0] = (u64)-38;   // ENOSYS
        return;
    }
}

static void el0_main(u64 arg) {
    puts("el0: started, arg=");
    put_hex(arg);
    uart_putc('\n');
    u64 r = SYSCALL(1, (u64)"hello from EL0", 0, 0);
    puts("el0: write returned ");
    put_dec(r);
    uart_putc('\n');
    r = SYSCALL(2, 40, 2, 0x100);
    puts("el0: add3(40, 2, 0x100) = ");
    put_hex(r);
    uart_putc('\n');
    r = SYSCALL(0x1234, 0, 0, 0);
    puts("el0: calls so far ");
    put_dec(r);
    uart_putc('\n');
    r = SYSCALL(99, 0, 0, 0);
    puts("el0: svc #99 returned ");
    put_dec((s64)r);
    uart_putc('\n');
    SYSCALL(0, 7, 0, 0);
    puts("el0: still running after exit\n");
    for (;;) { }
}

int main(void) {
    vectors_install();
    puts("el1: dropping to EL0\n");
    u64 code = el0_call(el0_main, 0xfeed, (u64)el0_stack + sizeof el0_stack, SPSR_EL0T);
    u64 el;
    __asm__ volatile("mrs %0, CurrentEL" : "=r"(el));
    puts("el1: back at EL");
    put_dec(el >> 2);
    puts(", EL0 exit code ");
    put_dec(code);
    uart_putc('\n');
    return 0;
}
