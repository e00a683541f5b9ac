// timer_irq with the EL1 physical timer: CNTP_TVAL/CTL/CVAL, CNTPCT, PPI 30.
#define PHYS_TIMER
#include "timer_irq.c"
