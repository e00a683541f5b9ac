/* Test build only: self-tests of every failure path, selected by the bootarg
 * crash=fault|assert|preempt|starve|kstack|user (guest/tests/kernel/test-qemu.sh). Runs
 * from init once the network is up, before the services start. */
#include "kernel.h"
#include "lwip/opt.h"
#include "lwip/debug.h"

void crash_user_main(u64 arg);

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int kdeep(volatile char *p, int n)
{
	volatile char buf[512];
	buf[0] = (char)n;
	if (p)
		buf[1] = p[0];
	return kdeep(buf, n + 1) + buf[0];
}

void testing_init(void)
{
	const char *c = bootarg("crash");
	if (c && !strcmp(c, "fault"))
		*(volatile u64 *)(0x4000000000UL + (u64)c[0]) = 1; /* unmapped VA */
	if (c && !strcmp(c, "assert"))
		LWIP_ASSERT("selftest", 0);
	if (c && !strcmp(c, "preempt")) {
		preempt_disable();
		for (;;)
			__asm__ volatile("wfi");
	}
	if (c && !strcmp(c, "starve")) {
		/* Keep the CPU busy with preemption off while the net thread is due. */
		net_kick();
		preempt_disable();
		for (;;)
			__asm__ volatile("wfi");
	}
	if (c && !strcmp(c, "kstack"))
		kdeep(0, 0);
	if (c && !strcmp(c, "user")) {
		/* an EL0 fault kills only it */
		struct thread *t = uproc_create("crasher", crash_user_main, 0, 0);
		if (!t)
			panic("cannot create process crasher");
		files_init_console(t);
	}
}
