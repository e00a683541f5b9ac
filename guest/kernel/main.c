/* Boot: board discovery, MMU, GIC, timer, scheduler, network, services. */
#include "kernel.h"
#include "lwip/opt.h"
#include "lwip/debug.h"

void echo_main(u64 arg);
void http_main(u64 arg);
void agent_main(u64 arg);
void crash_user_main(u64 arg);

static int bench;

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int kdeep(volatile char *p, int n)
{
	volatile char buf[512];
	buf[0] = (char)n;
	if (p)
		buf[1] = p[0];
	return kdeep(buf, n + 1) + buf[0];
}

static struct thread *spawn(const char *name, void (*fn)(u64), u64 arg)
{
	struct thread *t = uproc_create(name, fn, arg, 0);
	if (!t)
		panic("cannot create process %s", name);
	files_init_console(t);
	return t;
}

static void init_main(u64 arg)
{
	(void)arg;
	preempt_disable();
	while (!net_ready)
		sleep_on(&net_ready, 0);
	preempt_enable();
	/* Self-tests of the failure paths (test-qemu.sh): crash=fault|assert|preempt|starve|user */
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
	if (c && !strcmp(c, "user"))
		spawn("crasher", crash_user_main, 0); /* an EL0 fault kills only it */
	spawn("echo", echo_main, 7);
	spawn("http", http_main, 80);
	spawn("agent0", agent_main, 0);
	spawn("agent1", agent_main, 1);
}

void bench_report(void)
{
	if (!bench)
		return;
	isb();
	u64 n = sysreg_read(pmevcntr0_el0);
	kprintf("wirelab-guest: bench instructions=%lu\n", n);
}

void kmain(u64 dtb)
{
	fdt_scan(dtb);
	uart_init(board.uart);
	bench = bootarg("bench") != 0;
	mmu_init();
	heap_init();
	kputs("wirelab-guest: boot\n");
	gic_init();
	kprintf("wirelab-guest: gicv%d\n", board.gic_version);
	sched_init();
	timer_init();
	if (virtio_net_probe() != 0)
		panic("no usable virtio-net device");
	net_init();
	net_thread = kthread_create("net", net_thread_main, 0);
	kthread_create("init", init_main, 0);
	sched_start();
}
