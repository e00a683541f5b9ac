// PL031 RTC match interrupt (SPI 2, INTID 34). Loads RTCLR, sets RTCMR one
// second ahead and waits in wfi for the alarm; the EL1 physical timer ticks
// every 10 ms meanwhile so that no wfi can miss its wake-up. The RTC counts
// host seconds under QEMU, so only relations are printed: the loaded value
// reads back, RIS/MIS set at the alarm, DR has reached MR, ICR clears RIS.
#include "gic.h"

#define RTC_BASE 0x09010000UL
#define RTCDR 0x00
#define RTCMR 0x04
#define RTCLR 0x08
#define RTCIMSC 0x10
#define RTCRIS 0x14
#define RTCMIS 0x18
#define RTCICR 0x1c
#define RTC_INTID 34
#define LOAD 1000000u

static volatile u32 alarms, other, dr_at_alarm, ris_at_alarm, mis_at_alarm, ris_after_icr;
static u64 period;

void exc_handler(struct frame *f, u64 vec) {
    (void)f;
    if (vec != VEC_CUR_SPX_IRQ) {
        puts("unexpected exception, vector ");
        put_hex(vec);
        put_kv_hex(" ESR", READ_SYSREG(esr_el1));
        semihost_exit(1);
    }
    u32 iar = gic_ack();
    if ((iar & 0x3ff) == RTC_INTID) {
        alarms++;
        dr_at_alarm = mmio_read32(RTC_BASE + RTCDR);
        ris_at_alarm = mmio_read32(RTC_BASE + RTCRIS);
        mis_at_alarm = mmio_read32(RTC_BASE + RTCMIS);
        mmio_write32(RTC_BASE + RTCICR, 1);
        ris_after_icr = mmio_read32(RTC_BASE + RTCRIS);
    } else if ((iar & 0x3ff) == PPI_PTIMER) {
        if (!alarms) ptimer_arm(period);
        else ptimer_stop();
    } else {
        other++;
    }
    if ((iar & 0x3ff) < 1020) gic_eoi(iar);
}

int main(void) {
    int v = gic_discover();
    puts("gic: v");
    put_dec(v);
    uart_putc('\n');
    if (!v) return 1;
    vectors_install();
    gic_init();
    gic_enable(RTC_INTID, 0x80);
    gic_enable(PPI_PTIMER, 0xa0);
    mmio_write32(RTC_BASE + RTCLR, LOAD);
    u32 dr = mmio_read32(RTC_BASE + RTCDR);
    puts(dr >= LOAD && dr <= LOAD + 1 ? "rtc: DR follows LR\n" : "rtc: DR does not follow LR\n");
    u32 mr = dr + 1;
    mmio_write32(RTC_BASE + RTCMR, mr);
    puts(mmio_read32(RTC_BASE + RTCMR) == mr ? "rtc: MR reads back\n" : "rtc: MR differs\n");
    mmio_write32(RTC_BASE + RTCIMSC, 1);
    puts("rtc: alarm in one second, waiting in wfi\n");
    period = cntfrq() / 100;
    ptimer_arm(period);
    IRQ_ON();
    while (!alarms) WFI();
    IRQ_OFF();
    ptimer_stop();
    puts("rtc: alarm taken, RIS=");
    put_dec(ris_at_alarm);
    puts(" MIS=");
    put_dec(mis_at_alarm);
    puts(dr_at_alarm >= mr ? ", DR >= MR" : ", DR < MR");
    puts(", RIS after ICR=");
    put_dec(ris_after_icr);
    puts(", other IAR ");
    put_dec(other);
    uart_putc('\n');
    return 0;
}
