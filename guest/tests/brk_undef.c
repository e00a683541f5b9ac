// BRK and undefined instructions at EL1: brk #0x42 must enter the current-EL
// synchronous vector with EC 0x3c, ISS 0x42 and ELR at the brk; udf #7 with
// EC 0 (unknown reason) and ELR at the udf. The handler skips each one
// (ELR += 4) and execution continues after it.
#include "exc.h"

__asm__(
    "   .text\n"
    "   .globl do_brk, do_udf\n"
    "do_brk:\n"                  // u64 do_brk(void): x0 = the brk's address
    "   adr x0, 1f\n"
    "1: brk #0x42\n"
    "   ret\n"
    "do_udf:\n"                  // u64 do_udf(void): x0 = the udf's address
    "   adr x0, 1f\n"
    "1: udf #7\n"
    "   ret\n");
u64 do_brk(void);
u64 do_udf(void);

static u64 taken;

void exc_handler(struct frame *f, u64 vec) {
    u64 esr = READ_SYSREG(esr_el1);
    taken++;
    puts("handler: vector=");
    put_hex(vec);
    puts(" EC=");
    put_hex(esr_ec(esr));
    puts(" IL=");
    put_dec((esr >> 25) & 1);
    puts(" ISS=");
    put_hex(esr & 0x1ffffff);
    puts(f->elr == f->x[0] ? " ELR at the instruction\n" : " ELR elsewhere\n");
    f->elr += 4;
}

int main(void) {
    vectors_install();
    puts("brk #0x42\n");
    do_brk();
    puts("after brk, exceptions taken: ");
    put_dec(taken);
    puts("\nudf #7\n");
    do_udf();
    puts("after udf, exceptions taken: ");
    put_dec(taken);
    uart_putc('\n');
    return 0;
}
