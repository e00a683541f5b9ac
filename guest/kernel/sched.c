/* Threads, preemptive round-robin scheduler, wait channels, watchdogs. */
#include "kernel.h"

#define KSTACK_SIZE (16 * 1024)
#define STACK_CANARY 0x57495245474c4142ULL

static void check_stack(struct thread *t)
{
	if (t && t->kstack && *(u64 *)t->kstack != STACK_CANARY)
		panic("kernel stack overflow in %s (tid %d)", t->name, t->tid);
}

static struct thread threads[MAX_THREADS];
/* Slots ever handed out (a high-water mark): the scans below stop there, since
 * every slot beyond it is free. wakeup() runs for every frame and socket event. */
static int nslots;
static struct thread boot_thread = { .name = "boot" };
static struct thread *idle;
struct thread *cur;
struct thread *net_thread;
volatile int need_resched;
static u64 ticks;
static u32 wd_preempt_ticks = 2 * HZ;  /* "preemption disabled too long" */
static u32 wd_starve_ticks = 5 * HZ;   /* "network thread starved" */
static int next_tid = 1;

void cpu_switch(struct ctx *old, struct ctx *new);
void thread_trampoline(void);
void enter_user(struct frame *f) __attribute__((noreturn));
void user_exit_stub(void); /* user/ulib.c: calls exit(0) */

static struct thread *pick(void)
{
	int start = (cur >= threads && cur < threads + MAX_THREADS) ? (int)(cur - threads) : -1;
	for (int k = 1; k <= nslots; k++) {
		struct thread *t = &threads[(start + k + nslots) % nslots];
		if (t->state == T_ZOMBIE && t != cur) {
			t->state = T_FREE;
			continue;
		}
		if (t->state == T_RUNNABLE && t != idle)
			return t;
	}
	return idle;
}

void schedule(void)
{
	u64 f = irq_save();
	need_resched = 0;
	struct thread *prev = cur, *next = pick();
	check_stack(prev);
	if (next != prev) {
		next->starve_ticks = 0;
		next->preempt_ticks = 0;
		cur = next;
		cpu_switch(&prev->ctx, &next->ctx);
	}
	irq_restore(f);
}

void yield(void)
{
	need_resched = 1;
	schedule();
}

void preempt_disable(void)
{
	cur->preempt++;
	__asm__ volatile("" ::: "memory");
}

void preempt_enable(void)
{
	__asm__ volatile("" ::: "memory");
	if (cur->preempt <= 0)
		panic("preempt_enable without preempt_disable");
	if (--cur->preempt == 0) {
		cur->preempt_ticks = 0;
		if (need_resched)
			schedule();
	}
}

int sleep_on(const void *chan, u64 deadline)
{
	u64 f = irq_save();
	if (deadline && timer_now() >= deadline) {
		irq_restore(f);
		return -1;
	}
	cur->chan = chan;
	cur->wake_at = deadline;
	cur->timed_out = 0;
	cur->state = T_BLOCKED;
	cur->preempt_ticks = 0;
	schedule();
	int r = cur->timed_out ? -1 : 0;
	cur->chan = 0;
	cur->wake_at = 0;
	irq_restore(f);
	return r;
}

void wakeup(const void *chan)
{
	u64 f = irq_save();
	for (int i = 0; i < nslots; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_BLOCKED && t->chan == chan) {
			t->state = T_RUNNABLE;
			t->chan = 0;
			need_resched = 1;
		}
	}
	irq_restore(f);
}

/* Called from the timer interrupt, IRQs masked. */
void sched_tick(void)
{
	ticks++;
	check_stack(cur);
	u64 now = timer_now();
	for (int i = 0; i < nslots; i++) {
		struct thread *t = &threads[i];
		if (t->state == T_BLOCKED && t->wake_at && now >= t->wake_at) {
			t->state = T_RUNNABLE;
			t->timed_out = 1;
			t->chan = 0;
		}
		if (t->state == T_RUNNABLE && t != cur && t != idle)
			t->starve_ticks++;
	}
	if (cur && cur->preempt > 0) {
		if (++cur->preempt_ticks > wd_preempt_ticks)
			panic_at(__FILE__, __LINE__, irq_frame, "watchdog: preemption disabled too long (%u ticks, depth %d)",
			      cur->preempt_ticks, cur->preempt);
	}
	if (net_thread && net_thread->state == T_RUNNABLE && net_thread->starve_ticks > wd_starve_ticks)
		panic_at(__FILE__, __LINE__, irq_frame, "watchdog: network thread starved (%u ticks runnable, running %s tid %d)",
		      net_thread->starve_ticks, cur->name, cur->tid);
	need_resched = 1;
}

static struct thread *thread_alloc(const char *name)
{
	u64 f = irq_save();
	struct thread *t = 0;
	for (int i = 0; i < MAX_THREADS; i++) {
		if (threads[i].state == T_FREE && &threads[i] != cur) {
			t = &threads[i];
			if (i >= nslots)
				nslots = i + 1;
			break;
		}
	}
	if (!t) {
		irq_restore(f);
		return 0;
	}
	void *ks = t->kstack, *us = t->ustack;
	memset(t, 0, sizeof *t);
	t->kstack = ks;
	t->ustack = us;
	t->state = T_BLOCKED; /* not yet runnable */
	t->tid = next_tid++;
	irq_restore(f);
	size_t l = strlen(name);
	if (l > sizeof t->name - 1)
		l = sizeof t->name - 1;
	memcpy(t->name, name, l);
	if (!t->kstack) {
		/* An unmapped guard page below each kernel stack, and a canary in
		 * its lowest word, checked at every tick and switch. */
		u8 *m = kalloc_pages(KSTACK_SIZE + 4096, 0);
		mmu_guard_page(m);
		t->kstack = m + 4096;
	}
	*(u64 *)t->kstack = STACK_CANARY;
	return t;
}

static void kthread_start(u64 arg)
{
	struct thread *t = (struct thread *)arg;
	irq_enable();
	t->entry(t->arg);
	thread_exit(0);
}

static void start(struct thread *t, void (*fn)(u64))
{
	t->ctx.x19_x30[0] = (u64)fn;
	t->ctx.x19_x30[1] = (u64)t;
	t->ctx.x19_x30[11] = (u64)thread_trampoline;
	t->ctx.sp = (u64)t->kstack + KSTACK_SIZE;
	u64 f = irq_save();
	t->state = T_RUNNABLE;
	irq_restore(f);
}

struct thread *kthread_create(const char *name, void (*fn)(u64), u64 arg)
{
	struct thread *t = thread_alloc(name);
	if (!t)
		return 0;
	t->entry = fn;
	t->arg = arg;
	start(t, kthread_start);
	return t;
}

static void ustart(u64 arg)
{
	struct thread *t = (struct thread *)arg;
	struct frame *f = (struct frame *)((u64)t->kstack + KSTACK_SIZE - sizeof(struct frame));
	memset(f, 0, sizeof *f);
	f->elr = (u64)t->entry;
	f->spsr = 0; /* EL0t, interrupts unmasked */
	f->sp_el0 = (u64)t->ustack + 64 * 1024;
	f->x[0] = t->arg;
	f->x[30] = (u64)user_exit_stub;
	enter_user(f);
}

struct thread *uproc_create(const char *name, void (*fn)(u64), u64 arg, size_t ustack)
{
	(void)ustack; /* fixed 64 KiB user stacks */
	struct thread *t = thread_alloc(name);
	if (!t)
		return 0;
	if (!t->ustack) {
		u8 *m = kalloc_pages(64 * 1024 + 4096, 0); /* guard page below */
		mmu_guard_page(m);
		t->ustack = m + 4096;
	}
	t->user = 1;
	t->entry = fn;
	t->arg = arg;
	start(t, ustart);
	return t;
}

void thread_exit(int code)
{
	(void)code;
	files_close_all(cur);
	u64 f = irq_save();
	cur->state = T_ZOMBIE;
	cur->preempt = 0;
	schedule();
	irq_restore(f);
	panic("zombie thread ran");
}

static void idle_main(u64 arg)
{
	(void)arg;
	for (;;) {
		u64 f = irq_save();
		if (!need_resched)
			__asm__ volatile("wfi");
		irq_restore(f);
		schedule();
	}
}

void sched_init(void)
{
	cur = &boot_thread;
	const char *v;
	if ((v = bootarg("wd_preempt")) && atoi(v) > 0)
		wd_preempt_ticks = atoi(v);
	if ((v = bootarg("wd_starve")) && atoi(v) > 0)
		wd_starve_ticks = atoi(v);
	idle = kthread_create("idle", idle_main, 0);
}

void sched_start(void)
{
	u64 f = irq_save();
	(void)f;
	boot_thread.state = T_ZOMBIE;
	schedule();
	panic("boot thread resumed");
}
