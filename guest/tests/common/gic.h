// GICv2 / GICv3 driver for the interrupt test guests: one CPU, every interrupt
// in group 1 on GICv3 (ICC_IAR1) and group 0 on GICv2 (GICC_IAR, signalled
// as IRQ), EOImode 0 (EOI drops priority and deactivates). The version comes
// from the device tree's interrupt-controller compatible string.
#ifndef WIRELAB_TESTS_GIC_H
#define WIRELAB_TESTS_GIC_H
#include "exc.h"

#define GICD_BASE 0x08000000UL
#define GICC_BASE 0x08010000UL      // GICv2 CPU interface
#define GICR_BASE 0x080A0000UL      // GICv3 redistributor of CPU 0 (RD_base)
#define GICR_SGI_BASE (GICR_BASE + 0x10000)

#define INTID_SPURIOUS 1023
#define PPI_VTIMER 27
#define PPI_PTIMER 30

// 2 or 3 from the DTB ("arm,cortex-a15-gic" / "arm,gic-v3"), 0 if not found.
int gic_discover(void);
int gic_version(void);
// Distributor and this CPU's interface on, priority mask open, binary point 0.
void gic_init(void);
// Priority, then (SPIs) group 1 + route to this CPU (v3) or target CPU 0 (v2), then enable.
void gic_enable(u32 intid, u32 priority);
void gic_disable(u32 intid);
u32 gic_ack(void);                 // GICC_IAR / ICC_IAR1_EL1
void gic_eoi(u32 iar);             // GICC_EOIR / ICC_EOIR1_EL1
u32 gic_running_priority(void);    // GICC_RPR / ICC_RPR_EL1
int gic_pending(u32 intid);        // GICD_ISPENDR0 / GICR_ISPENDR0 (SGIs and PPIs)
int gic_active(u32 intid);         // GICD_ISACTIVER0 / GICR_ISACTIVER0
u32 gic_pending_mask(void);        // the whole ISPENDR0 word
void gic_send_sgi_self(u32 intid); // GICD_SGIR (target list filter 2) / ICC_SGI1R_EL1
// Group 0 as FIQ: GICD/GICR_IGROUPR bit, then v3 ICC_IGRPEN0_EL1, v2 both groups
// on with GICC_CTLR.FIQEn and AckCtl (GICC_IAR then also acknowledges group 1).
void gic_set_group(u32 intid, int group);
void gic_fiq_enable(void);
u32 gic_ack0(void);                // GICC_IAR / ICC_IAR0_EL1
void gic_eoi0(u32 iar);            // GICC_EOIR / ICC_EOIR0_EL1

// The EL1 virtual timer (PPI 27).
static inline u64 cntfrq(void) { return READ_SYSREG(cntfrq_el0); }
static inline u64 cntvct(void) { ISB(); return READ_SYSREG(cntvct_el0); }
static inline void vtimer_arm(u64 ticks) {
    WRITE_SYSREG(cntv_tval_el0, ticks);
    WRITE_SYSREG(cntv_ctl_el0, 1);   // ENABLE, IMASK clear
    ISB();
}
static inline void vtimer_stop(void) { WRITE_SYSREG(cntv_ctl_el0, 0); ISB(); }
// The EL1 physical timer (PPI 30).
static inline u64 cntpct(void) { ISB(); return READ_SYSREG(cntpct_el0); }
static inline void ptimer_arm(u64 ticks) {
    WRITE_SYSREG(cntp_tval_el0, ticks);
    WRITE_SYSREG(cntp_ctl_el0, 1);
    ISB();
}
static inline void ptimer_stop(void) { WRITE_SYSREG(cntp_ctl_el0, 0); ISB(); }

#endif
