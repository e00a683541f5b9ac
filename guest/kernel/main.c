/* Boot: board discovery, MMU, GIC, timer, scheduler, network, services. */
#include "kernel.h"
#include "lwip/opt.h"
#include "lwip/debug.h"

void echo_main(u64 arg);
void http_main(u64 arg);
void agent_main(u64 arg);

static int bench;

/* The test build (guest/tests/kernel/) overrides this: the crash= self-tests. */
__attribute__((weak)) void testing_init(void)
{
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
	testing_init();
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
