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
