/* Panic report and semihosting exit; exception handlers. The report format is
 * fixed (see guest/README.md); fuzzing keys on it. */
#include "kernel.h"

static volatile int in_panic;
struct frame *irq_frame;  /* frame of the interrupted context, during an IRQ */
static int frame_is_sync; /* ESR/FAR describe the frame */

void semihost_exit(int code)
{
	/* AArch64 SYS_EXIT (0x18) takes a parameter block {reason, subcode}. */
	static volatile u64 block[2];
	block[0] = 0x20026; /* ADP_Stopped_ApplicationExit */
	block[1] = (u64)code;
	register u64 x0 __asm__("x0") = 0x18;
	register u64 x1 __asm__("x1") = (u64)block;
	__asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfi");
}

static const char *basename_of(const char *p)
{
	const char *b = p;
	for (; *p; p++)
		if (*p == '/')
			b = p + 1;
	return b;
}

void panic_at(const char *file, int line, struct frame *f, const char *fmt, ...)
{
	__asm__ volatile("msr daifset, #0xf");
	if (in_panic++) {
		/* A fault while panicking (or semihosting missing): stop here. */
		for (;;)
			__asm__ volatile("wfi");
	}
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	kvsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	kputs("\n!!! PANIC !!!\n");
	kprintf("Location: %s:%d\n", basename_of(file), line);
	kprintf("Message: %s\n", msg);
	if (cur)
		kprintf("Thread: %s (tid %d)\n", cur->name, cur->tid);
	else
		kputs("Thread: boot (tid 0)\n");
	if (f && frame_is_sync) {
		kprintf("Registers: pc=%lx lr=%lx sp=%lx esr=%lx far=%lx spsr=%lx\n",
			f->elr, f->x[30], (f->spsr & 0xf) ? (u64)(f + 1) : f->sp_el0,
			sysreg_read(esr_el1), sysreg_read(far_el1), f->spsr);
	} else if (f) {
		kprintf("Registers: pc=%lx lr=%lx sp=%lx spsr=%lx\n",
			f->elr, f->x[30], (f->spsr & 0xf) ? (u64)(f + 1) : f->sp_el0, f->spsr);
	} else {
		u64 sp;
		__asm__ volatile("mov %0, sp" : "=r"(sp));
		kprintf("Registers: pc=%lx lr=%lx sp=%lx\n",
			(u64)__builtin_return_address(0), (u64)__builtin_return_address(0), sp);
	}
	semihost_exit(1);
}

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
	frame_is_sync = 1;
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
