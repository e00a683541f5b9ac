/* The panic report and the semihosting exit: a leaf (only the console below
 * it). The report format is fixed (see guest/README.md); fuzzing keys on it. */
#include "kernel.h"

static volatile int in_panic;
int panic_frame_is_sync; /* set by trap.c: ESR/FAR describe the frame */

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
	if (f && panic_frame_is_sync) {
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
