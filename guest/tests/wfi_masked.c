// timer_irq with Linux's idle loop: `wfi` with IRQs masked, then
// `msr daifclr, #2`, which must take the pending timer IRQ before the next
// instruction (the loop masks IRQs again right after the unmask).
#define WFI_MASKED
#include "timer_irq.c"
