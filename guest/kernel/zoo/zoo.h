/* Bug zoo: helpers shared by the planted bugs (kernel code built with
 * -DZOO_<NAME>, and our patches to the build's copy of lwIP). Checked
 * arithmetic panics the way a Rust debug build does, in the default panic
 * format, at the caller's file and line. */
#ifndef WL_ZOO_H
#define WL_ZOO_H
#include <stdint.h>

struct frame;
void panic_at(const char *file, int line, struct frame *f, const char *fmt, ...) __attribute__((noreturn));

/* a - b for sequence numbers (mod 2^32) that must not go below zero. */
#define ZOO_SEQ_SUB(a, b) \
	((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0 \
		? (panic_at(__FILE__, __LINE__, 0, "attempt to subtract sequence numbers with underflow"), 0u) \
		: (uint32_t)((uint32_t)(a) - (uint32_t)(b)))

/* a - b for lengths (u32) that must not go below zero. */
#define ZOO_SUB_U32(a, b) \
	((uint32_t)(a) < (uint32_t)(b) \
		? (panic_at(__FILE__, __LINE__, 0, "attempt to subtract with overflow"), 0u) \
		: (uint32_t)((uint32_t)(a) - (uint32_t)(b)))
#endif

/* ---- kernel-side helpers of the Akuma guests (zoo/zoo.c) ---- */
#if defined(ZOO_AKUMA_DEADLOCK)
/* The stack lock: a spinlock that the network thread takes with interrupts
 * masked (spin_lock_irqsave) around its batch. */
uint64_t zoo_stack_lock_irqsave(void);
void zoo_stack_unlock_irqrestore(uint64_t flags);
void zoo_stack_lock(void);   /* interrupts left as they are */
void zoo_stack_unlock(void);
#endif
#if defined(ZOO_AKUMA_TORN_STATE)
/* A RefCell-style borrow flag on the stack state: taking it while it is
 * taken panics "already borrowed: BorrowMutError". */
void zoo_borrow_mut(void);
void zoo_release(void);
#endif
