/* A stand-in lab host for testing the agent under QEMU (bootarg "fakelab"):
 * the kernel answers lab calls itself with a fixed script, as wirelab's host
 * would. agent0 runs a TCP echo on port 9000 for one connection through
 * syscalls the "host" hands out; agent1 idles twice and exits. Every REPORT is
 * printed as "fakelab: agentN nr=X res=Y". Without "fakelab" lab calls get
 * -ENOSYS. Test build only (guest/tests/kernel/). */
#include "kernel.h"
#include "errno.h"

static struct { u64 buf, size; int step; i64 fd, cfd, n, fd2; } ag[2];
static int connect_port; /* fakelab=PORT: agent0 also connects out to 10.0.2.2:PORT */

static void work(struct frame *f, u64 kind, u64 nr, u64 a0, u64 a1, u64 a2, u64 a3)
{
	f->x[0] = kind; f->x[1] = nr; f->x[2] = a0; f->x[3] = a1; f->x[4] = a2; f->x[5] = a3;
	f->x[6] = 0; f->x[7] = 0;
}

int testing_lab_call(struct frame *f)
{
	static int on = -1;
	if (on < 0)
		on = bootarg("fakelab") != 0;
	if (!on)
		return 0;
	u64 op = f->x[0], id = f->x[1];
	if (id > 1) {
		f->x[0] = (u64)-EINVAL;
		return 1;
	}
	if (op == 1) { /* HELLO */
		ag[id].buf = f->x[2];
		ag[id].size = f->x[3];
		ag[id].step = 0;
		const char *v = bootarg("fakelab");
		connect_port = v ? atoi(v) : 0;
		kprintf("fakelab: agent%d hello size=%d version=%d\n", (int)id, (int)f->x[3], (int)f->x[4]);
		f->x[0] = 0;
		return 1;
	}
	if (op == 3) { /* REPORT */
		i64 res = (i64)f->x[3];
		kprintf("fakelab: agent%d nr=%d res=%d\n", (int)id, (int)f->x[2], (int)res);
		if (id == 0 && f->x[2] == SYS_socket) {
			if (ag[0].step <= 2)
				ag[0].fd = res;
			else
				ag[0].fd2 = res;
		}
		if (id == 0 && f->x[2] == SYS_accept)
			ag[0].cfd = res;
		if (id == 0 && f->x[2] == SYS_recvfrom)
			ag[0].n = res;
		f->x[0] = 0;
		return 1;
	}
	if (op != 2) {
		f->x[0] = (u64)-EINVAL;
		return 1;
	}
	u64 b = ag[id].buf;
	int s = ag[id].step++;
	if (id == 1) {
		/* Error paths: each REPORT line shows the -errno. */
		struct wl_timespec ts = { 0, 2000000 };
		switch (s) {
		case 0: work(f, 0, 1000000, 0, 0, 0, 0); break;              /* IDLE 1 ms */
		case 1: work(f, 1, SYS_socket, 99, SOCK_STREAM, 0, 0); break; /* -EAFNOSUPPORT */
		case 2: work(f, 1, SYS_close, 15, 0, 0, 0); break;            /* -EBADF */
		case 3: work(f, 1, SYS_read, 0, 0x10, 16, 0); break;          /* -EFAULT */
		case 4: work(f, 1, SYS_bind, 1, b, 16, 0); break;             /* -ENOTSOCK */
		case 5: work(f, 1, 4242, 0, 0, 0, 0); break;                  /* -ENOSYS */
		case 6: memcpy((void *)b, &ts, sizeof ts);
			work(f, 1, SYS_nanosleep, b, 0, 0, 0); break;         /* 0 */
		case 7: memcpy((void *)b, &ts, sizeof ts);
			work(f, 1, SYS_ppoll, b + 64, 0, b, 0); break;        /* 0 (timeout) */
		default: work(f, 2, 0, 0, 0, 0, 0); break;
		}
		return 1;
	}
	switch (s) {
	case 0: work(f, 1, SYS_getpid, 0, 0, 0, 0); break;
	case 1: work(f, 1, SYS_socket, AF_INET, SOCK_STREAM, 0, 0); break;
	case 2: {
		struct wl_sockaddr_in sa = { AF_INET, (9000 >> 8) | ((9000 & 0xff) << 8), 0, { 0 } };
		memcpy((void *)b, &sa, sizeof sa); /* the host writes into the agent buffer */
		work(f, 1, SYS_bind, ag[0].fd, b, sizeof sa, 0);
		break;
	}
	case 3: work(f, 1, SYS_listen, ag[0].fd, 4, 0, 0); break;
	case 4: work(f, 1, SYS_accept, ag[0].fd, 0, 0, 0); break;
	case 5: work(f, 1, SYS_recvfrom, ag[0].cfd, b + 64, 256, 0); break;
	case 6: work(f, 1, SYS_sendto, ag[0].cfd, b + 64, ag[0].n > 0 ? ag[0].n : 0, 0); break;
	case 7: work(f, 1, SYS_close, ag[0].cfd, 0, 0, 0); break;
	case 8: if (!connect_port) { work(f, 2, 0, 0, 0, 0, 0); break; }
		work(f, 1, SYS_socket, AF_INET, SOCK_STREAM, 0, 0); break;
	case 9: {
		u16 p = (u16)connect_port;
		struct wl_sockaddr_in sa = { AF_INET, (u16)((p >> 8) | (p << 8)), 0x0202000a, { 0 } }; /* 10.0.2.2 */
		memcpy((void *)b, &sa, sizeof sa);
		work(f, 1, SYS_connect, ag[0].fd2, b, sizeof sa, 0);
		break;
	}
	case 10: memcpy((void *)(b + 128), "hello-host\n", 11);
		work(f, 1, SYS_sendto, ag[0].fd2, b + 128, 11, 0); break;
	case 11: { u32 l = 16; memcpy((void *)(b + 300), &l, 4);
		work(f, 1, SYS_getpeername, ag[0].fd2, b + 256, b + 300, 0); break; }
	case 12: work(f, 1, SYS_shutdown, ag[0].fd2, SHUT_WR, 0, 0); break;
	case 13: work(f, 1, SYS_close, ag[0].fd2, 0, 0, 0); break;
	default: work(f, 2, 0, 0, 0, 0, 0); break;
	}
	return 1;
}
