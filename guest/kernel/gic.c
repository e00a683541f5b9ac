/* GICv2 (memory-mapped CPU interface) and GICv3 (ICC_* system registers),
 * chosen from the DTB; plus the virtual generic timer. */
#include "kernel.h"

#define GICD_CTLR 0x000
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0c
#define GICC_EOIR 0x10
#define GICR_WAKER 0x14
#define GICR_SGI 0x10000

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define XSTR(x) #x
#define MRS(r) ({ u64 __v; __asm__ volatile("mrs %0, " XSTR(r) : "=r"(__v)); __v; })
#define MSR(r, v) __asm__ volatile("msr " XSTR(r) ", %0" ::"r"((u64)(v)))

static void gicd_wait_rwp(void)
{
	for (int i = 0; i < 100000 && (mmio_r32(board.gicd + GICD_CTLR) & (1U << 31)); i++)
		;
}

void gic_init(void)
{
	if (!board.gic_version) {
		board.gic_version = 2;
		board.gicd = 0x08000000;
		board.gicc = 0x08010000;
	}
	if (board.gic_version == 3) {
		mmio_w32(board.gicd + GICD_CTLR, 0);
		gicd_wait_rwp();
		mmio_w32(board.gicd + GICD_CTLR, (1 << 4) | (1 << 1) | (1 << 0)); /* ARE, Grp1, Grp0 */
		gicd_wait_rwp();
		u64 r = board.gicr;
		u32 w = mmio_r32(r + GICR_WAKER);
		mmio_w32(r + GICR_WAKER, w & ~2U);
		for (int i = 0; i < 100000 && (mmio_r32(r + GICR_WAKER) & 4); i++)
			;
		mmio_w32(r + GICR_SGI + GICD_IGROUPR, 0xffffffff);
		MSR(ICC_SRE_EL1, MRS(ICC_SRE_EL1) | 1);
		isb();
		MSR(ICC_PMR_EL1, 0xff);
		MSR(ICC_BPR1_EL1, 0);
		MSR(ICC_IGRPEN1_EL1, 1);
		isb();
	} else {
		mmio_w32(board.gicd + GICD_CTLR, 1);
		mmio_w32(board.gicc + GICC_PMR, 0xff);
		mmio_w32(board.gicc + GICC_BPR, 0);
		mmio_w32(board.gicc + GICC_CTLR, 1);
	}
}

/* Byte-wide GIC fields (priority, target) set with 32-bit read-modify-write. */
static void set_byte(u64 reg_base, int id, u8 v)
{
	u64 a = reg_base + (id & ~3);
	int sh = (id & 3) * 8;
	mmio_w32(a, (mmio_r32(a) & ~(0xffU << sh)) | ((u32)v << sh));
}

void gic_enable_irq(int id)
{
	if (board.gic_version == 3) {
		if (id < 32) {
			u64 s = board.gicr + GICR_SGI;
			set_byte(s + GICD_IPRIORITYR, id, 0xa0);
			mmio_w32(s + GICD_ISENABLER, 1U << id);
		} else {
			u32 g = mmio_r32(board.gicd + GICD_IGROUPR + (id / 32) * 4);
			mmio_w32(board.gicd + GICD_IGROUPR + (id / 32) * 4, g | (1U << (id % 32)));
			set_byte(board.gicd + GICD_IPRIORITYR, id, 0xa0);
			/* affinity 0.0.0.0, as two 32-bit writes (any MMIO model takes them) */
			mmio_w32(board.gicd + GICD_IROUTER + 8 * id, 0);
			mmio_w32(board.gicd + GICD_IROUTER + 8 * id + 4, 0);
			mmio_w32(board.gicd + GICD_ISENABLER + (id / 32) * 4, 1U << (id % 32));
		}
	} else {
		set_byte(board.gicd + GICD_IPRIORITYR, id, 0xa0);
		if (id >= 32)
			set_byte(board.gicd + GICD_ITARGETSR, id, 1);
		mmio_w32(board.gicd + GICD_ISENABLER + (id / 32) * 4, 1U << (id % 32));
	}
}

u32 gic_ack(void)
{
	if (board.gic_version == 3) {
		u32 v = MRS(ICC_IAR1_EL1);
		return v;
	}
	return mmio_r32(board.gicc + GICC_IAR);
}

void gic_eoi(u32 iar)
{
	if (board.gic_version == 3) {
		MSR(ICC_EOIR1_EL1, iar);
		isb();
	} else {
		mmio_w32(board.gicc + GICC_EOIR, iar);
	}
}

/* ---- virtual generic timer: periodic tick at HZ ---- */
static u64 tick_period, next_tick;

u64 timer_now(void)
{
	isb();
	return sysreg_read(cntvct_el0);
}
u64 timer_freq(void) { return sysreg_read(cntfrq_el0); }
u64 now_ms(void) { return timer_now() / (timer_freq() / 1000); }

static void timer_irq(int id, void *arg)
{
	(void)id; (void)arg;
	u64 now = timer_now();
	next_tick += tick_period;
	if (next_tick <= now)
		next_tick = now + tick_period;
	sysreg_write(cntv_cval_el0, next_tick);
	isb();
	sched_tick();
}

void timer_init(void)
{
	tick_period = timer_freq() / HZ;
	next_tick = timer_now() + tick_period;
	sysreg_write(cntv_cval_el0, next_tick);
	sysreg_write(cntv_ctl_el0, 1);
	isb();
	irq_register(TIMER_PPI, timer_irq, 0);
}
