#include "exc.h"

extern char el0_returned[];

void el0_return(struct frame *f, u64 value) {
    f->x[0] = value;
    f->elr = (u64)el0_returned;
    f->spsr = SPSR_EL1H_MASKED;
}
