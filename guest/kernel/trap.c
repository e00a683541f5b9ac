/* Exception entry from start.S's vectors: EL1 faults (panic), EL0 syscalls
 * and faults, and IRQ dispatch to registered handlers. */
#include "kernel.h"

struct frame *irq_frame; /* frame of the interrupted context, during an IRQ */

static const char *ec_name(u32 ec)
{
	switch (ec) {
	case 0x00: return "unknown instruction";
	case 0x0e: return "illegal execution state";
	case 0x15: return "svc";
	case 0x18: return "system register trap";
	case 0x20: return "instruction abort (lower EL)";
	case 0x21: return "instruction abort";
	case 0x22: return "pc alignment fault";
	case 0x24: return "data abort (lower EL)";
	case 0x25: return "data abort";
	case 0x26: return "sp alignment fault";
	case 0x3c: return "brk";
	default: return "exception";
	}
}

void exc_bad(struct frame *f, int kind)
{
	panic_at(__FILE__, __LINE__, f, "unexpected exception vector %d", kind);
}

void exc_el1_sync(struct frame *f, int kind)
{
	(void)kind;
	u64 esr = sysreg_read(esr_el1);
	u32 ec = esr >> 26;
	panic_frame_is_sync = 1;
	u64 far = sysreg_read(far_el1);
	if (cur && cur->kstack && far < (u64)cur->kstack && far >= (u64)cur->kstack - 4096)
		panic_at(__FILE__, __LINE__, f, "kernel stack overflow (guard page hit) at pc=%lx", f->elr);
	panic_at(__FILE__, __LINE__, f, "kernel fault: %s (ec=0x%x) at pc=%lx far=%lx", ec_name(ec), ec, f->elr, sysreg_read(far_el1));
}

void exc_el0_sync(struct frame *f, int kind)
{
	(void)kind;
	u64 esr = sysreg_read(esr_el1);
	u32 ec = esr >> 26;
	if (ec == 0x15) {
		irq_enable();
		syscall_dispatch(f, esr & 0xffff);
		return;
	}
	/* A fault in an EL0 program kills that process, not the kernel. */
	kprintf("wirelab-guest: %s (tid %d) killed: %s at pc=%lx far=%lx\n",
		cur->name, cur->tid, ec_name(ec), f->elr, sysreg_read(far_el1));
	irq_enable();
	thread_exit(-1);
}

/* ---- interrupts ---- */
#define MAX_IRQ 1024
static struct { irq_handler_t h; void *arg; } irqs[MAX_IRQ];

void irq_register(int intid, irq_handler_t h, void *arg)
{
	if (intid < 0 || intid >= MAX_IRQ)
		return;
	irqs[intid].h = h;
	irqs[intid].arg = arg;
	gic_enable_irq(intid);
}

void exc_irq(struct frame *f, int kind)
{
	(void)kind;
	struct frame *outer = irq_frame;
	irq_frame = f;
	for (;;) {
		u32 iar = gic_ack();
		u32 id = iar & 0xffffff;
		if (id >= 1020)
			break;
		if (id < MAX_IRQ && irqs[id].h)
			irqs[id].h(id, irqs[id].arg);
		gic_eoi(iar);
	}
	irq_frame = outer;
	if (need_resched && cur && cur->preempt == 0)
		schedule();
}
