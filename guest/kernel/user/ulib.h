/* EL0 side: Linux AArch64 syscall wrappers for the guest's own programs. */
#ifndef WL_ULIB_H
#define WL_ULIB_H
#include <stdint.h>
#include <stddef.h>
#include "../errno.h"

static inline long sc6(long nr, long a, long b, long c, long d, long e, long f)
{
	register long x8 __asm__("x8") = nr;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;
	register long x5 __asm__("x5") = f;
	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5) : "memory");
	return x0;
}
#define sc(nr, a, b, c) sc6(nr, (long)(a), (long)(b), (long)(c), 0, 0, 0)

static inline long u_socket(int d, int t, int p) { return sc(SYS_socket, d, t, p); }
static inline long u_bind(int fd, const void *a, int l) { return sc(SYS_bind, fd, a, l); }
static inline long u_listen(int fd, int b) { return sc(SYS_listen, fd, b, 0); }
static inline long u_accept(int fd) { return sc(SYS_accept, fd, 0, 0); }
static inline long u_read(int fd, void *b, size_t n) { return sc(SYS_read, fd, b, n); }
static inline long u_write(int fd, const void *b, size_t n) { return sc(SYS_write, fd, b, n); }
static inline long u_close(int fd) { return sc(SYS_close, fd, 0, 0); }
static inline long u_shutdown(int fd, int how) { return sc(SYS_shutdown, fd, how, 0); }
static inline long u_setsockopt(int fd, int lv, int nm, const void *v, int l) { return sc6(SYS_setsockopt, fd, lv, nm, (long)v, l, 0); }
static inline void u_exit(int c) { sc(SYS_exit, c, 0, 0); for (;;) ; }
long u_write_all(int fd, const void *b, size_t n);
int u_listen_tcp(int port, int backlog);
int u_listen_tcp_flags(int port, int backlog, int flags);
#endif
