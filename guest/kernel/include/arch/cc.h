/* lwIP architecture glue for the wirelab default guest. */
#ifndef WL_ARCH_CC_H
#define WL_ARCH_CC_H
#include <stdint.h>
#include <stddef.h>

#define BYTE_ORDER LITTLE_ENDIAN
#define LWIP_ERRNO_INCLUDE "wl_errno.h"

void wl_lwip_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
int kprintf(const char *fmt, ...);
#define LWIP_PLATFORM_ASSERT(x) wl_lwip_assert((x), __FILE__, __LINE__)
#define LWIP_PLATFORM_DIAG(x) do { kprintf x; } while (0)
#endif
