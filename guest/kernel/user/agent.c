/* EL0 lab agent: asks the lab host for syscalls with lab calls (svc #0x574c),
 * issues them as real Linux syscalls (svc #0) and reports the results.
 * Protocol: guest/README.md, "Lab-call protocol". Without a lab host the
 * kernel answers HELLO with -ENOSYS and the agent exits quietly. */
#include "ulib.h"

#define WL_PROTO_VERSION 1
#define WL_HELLO 1
#define WL_GET_WORK 2
#define WL_REPORT 3
#define WL_WORK_IDLE 0
#define WL_WORK_SYSCALL 1
#define WL_WORK_EXIT 2
#define AGENT_BUF_SIZE 16384

static unsigned char agent_buf[2][AGENT_BUF_SIZE] __attribute__((aligned(4096)));

struct regs { long x[8]; };

static void labcall(struct regs *r)
{
	register long x0 __asm__("x0") = r->x[0];
	register long x1 __asm__("x1") = r->x[1];
	register long x2 __asm__("x2") = r->x[2];
	register long x3 __asm__("x3") = r->x[3];
	register long x4 __asm__("x4") = r->x[4];
	register long x5 __asm__("x5") = r->x[5];
	register long x6 __asm__("x6") = r->x[6];
	register long x7 __asm__("x7") = r->x[7];
	__asm__ volatile("svc #0x574c"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x6), "+r"(x7)
			 :
			 : "memory");
	r->x[0] = x0; r->x[1] = x1; r->x[2] = x2; r->x[3] = x3;
	r->x[4] = x4; r->x[5] = x5; r->x[6] = x6; r->x[7] = x7;
}

void agent_main(uint64_t id)
{
	if (id > 1)
		u_exit(1);
	unsigned char *buf = agent_buf[id];
	struct regs r = { { WL_HELLO, (long)id, (long)buf, AGENT_BUF_SIZE, WL_PROTO_VERSION, 0, 0, 0 } };
	labcall(&r);
	if (r.x[0] < 0)
		u_exit(0); /* no lab host (-ENOSYS) */
	for (;;) {
		struct regs w = { { WL_GET_WORK, (long)id, 0, 0, 0, 0, 0, 0 } };
		labcall(&w);
		if (w.x[0] == WL_WORK_SYSCALL) {
			long nr = w.x[1];
			long res = sc6(nr, w.x[2], w.x[3], w.x[4], w.x[5], w.x[6], w.x[7]);
			struct regs rep = { { WL_REPORT, (long)id, nr, res, 0, 0, 0, 0 } };
			labcall(&rep);
		} else if (w.x[0] == WL_WORK_EXIT) {
			u_exit((int)w.x[1]);
		} else if (w.x[0] == WL_WORK_IDLE) {
			struct wl_timespec ts = { 0, w.x[1] > 0 && w.x[1] < 1000000000 ? w.x[1] : 10000000 };
			sc(SYS_nanosleep, &ts, 0, 0);
		} else {
			u_exit(2); /* protocol error */
		}
	}
}
