/* wirelab default guest: shared kernel declarations. */
#ifndef WL_KERNEL_H
#define WL_KERNEL_H

#include <stdint.h>
#include <stddef.h>
#include <stdarg.h>
#include <string.h>
#include <stdlib.h>

typedef uint64_t u64;
typedef uint32_t u32;
typedef uint16_t u16;
typedef uint8_t u8;
typedef int64_t i64;

#define ALIGN_UP(x, a) (((x) + (a) - 1) & ~((u64)(a) - 1))

/* ---- low level ---- */
static inline void mmio_w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline u32 mmio_r32(u64 a) { return *(volatile u32 *)a; }
static inline void mmio_w8(u64 a, u8 v) { *(volatile u8 *)a = v; }
static inline u8 mmio_r8(u64 a) { return *(volatile u8 *)a; }
#define sysreg_read(r) ({ u64 __v; __asm__ volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define sysreg_write(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((u64)(v)))
#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb() __asm__ volatile("dsb sy" ::: "memory")
#define dmb() __asm__ volatile("dmb sy" ::: "memory")

static inline u64 irq_save(void)
{
	u64 f = sysreg_read(daif);
	__asm__ volatile("msr daifset, #2" ::: "memory");
	return f;
}
static inline void irq_restore(u64 f) { __asm__ volatile("msr daif, %0" ::"r"(f) : "memory"); }
static inline void irq_enable(void) { __asm__ volatile("msr daifclr, #2" ::: "memory"); }

/* ---- exception frame (start.S layout) ---- */
struct frame {
	u64 x[31];
	u64 sp_el0;
	u64 elr;
	u64 spsr;
};

/* ---- console ---- */
void uart_init(u64 base);
void uart_putc(char c);
void kputs(const char *s);
int kprintf(const char *fmt, ...);
int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t n, const char *fmt, ...);

/* ---- panic ---- */
void panic_at(const char *file, int line, struct frame *f, const char *fmt, ...) __attribute__((noreturn));
#define panic(...) panic_at(__FILE__, __LINE__, 0, __VA_ARGS__)
extern int panic_frame_is_sync; /* the frame passed to panic_at is a synchronous exception's */
#define kassert(c) do { if (!(c)) panic("assertion failed: %s", #c); } while (0)
void semihost_exit(int code) __attribute__((noreturn));

/* ---- fdt / board ---- */
struct board {
	u64 dtb;
	u64 ram_base, ram_size;
	u64 uart;
	int gic_version;
	u64 gicd, gicc, gicr;
	int nvirtio;
	u64 virtio_base[32];
	int virtio_irq[32];
	char bootargs[256];
};
extern struct board board;
void fdt_scan(u64 dtb);
const char *bootarg(const char *key); /* value after "key=", or NULL */

/* ---- mmu / heap ---- */
void mmu_init(void);
void heap_init(void);
void *kmalloc(size_t n);
void *kzalloc(size_t n);
void kfree(void *p);
void *kalloc_pages(size_t n, int zero); /* page-aligned, never freed */
void mmu_guard_page(void *va);
int uaccess_ok(const void *p, size_t n, int write);
extern char _text_start[], _etext[], _end[], __bss_start[], __bss_end[];

/* ---- gic / timer ---- */
void gic_init(void);
void gic_enable_irq(int intid);
u32 gic_ack(void);
void gic_eoi(u32 iar);
#define TIMER_PPI 27
#define HZ 100
u64 timer_now(void); /* CNTVCT */
u64 timer_freq(void);
u64 now_ms(void);
void timer_init(void);

/* ---- threads and scheduler ---- */
#define MAX_THREADS 32
#define NFD 16
enum tstate { T_FREE, T_RUNNABLE, T_BLOCKED, T_ZOMBIE };
struct ctx { u64 x19_x30[12]; u64 sp; };
struct file;
struct thread {
	struct ctx ctx;
	int tid;
	enum tstate state;
	int preempt;          /* preemption-disable depth */
	int user;             /* EL0 process */
	char name[16];
	void *kstack;
	void *ustack;
	const void *chan;     /* wait channel */
	u64 wake_at;          /* CNTVCT deadline, 0 = none */
	int timed_out;
	u32 starve_ticks;     /* ticks spent runnable but not running */
	u32 preempt_ticks;    /* consecutive ticks with preemption disabled */
	struct file *fd[NFD];
	void (*entry)(u64);
	u64 arg;
};
extern struct thread *cur;
extern struct thread *net_thread;
extern volatile int need_resched;
void sched_init(void);
struct thread *kthread_create(const char *name, void (*fn)(u64), u64 arg);
struct thread *uproc_create(const char *name, void (*fn)(u64), u64 arg, size_t ustack);
void schedule(void);
void yield(void);
void thread_exit(int code) __attribute__((noreturn));
void preempt_disable(void);
void preempt_enable(void);
/* Block on chan until wakeup(chan) or the CNTVCT deadline (0 = none).
 * Returns 0 when woken, -1 on timeout. Caller normally holds preempt. */
int sleep_on(const void *chan, u64 deadline);
void wakeup(const void *chan);
void sched_tick(void);
void sched_start(void) __attribute__((noreturn));

/* ---- irq dispatch ---- */
typedef void (*irq_handler_t)(int intid, void *arg);
void irq_register(int intid, irq_handler_t h, void *arg);
extern struct frame *irq_frame; /* the interrupted context, during an IRQ */

/* ---- syscalls ---- */
void syscall_dispatch(struct frame *f, u32 svc_imm);
void files_init_console(struct thread *t);
void files_close_all(struct thread *t);

/* ---- network ---- */
struct netif;
int virtio_net_probe(void);
int virtio_net_poll_rx(struct netif *nif, int budget);
struct pbuf;
int virtio_net_tx(struct pbuf *frame);
void virtio_net_reclaim(void);
extern u8 vnet_mac[6];
extern int vnet_irq_ok;
void net_init(void);
void net_kick(void);
void net_thread_main(u64 arg);
extern int net_ready;
u64 prng_next(void);
void prng_seed(u64 s);

void sock_listen_notify(int port);
/* Test-build hooks (guest/tests/kernel/), weak no-ops in the product kernel. */
void testing_init(void);
int testing_lab_call(struct frame *f); /* 1 when it answered the lab call */
void bench_report(void);

#endif
