/* The Linux AArch64 syscall entry and the per-process fd table; socket
 * calls go to the socket layer (sock.c). */
#include "kernel.h"
#include "errno.h"
#include "sock.h"

enum { F_CONSOLE = 1, F_SOCK };

struct file {
	int type, refs;
	struct ksock *s;
};

static struct file console_file = { F_CONSOLE, 1 << 30, 0 };

/* ---- file descriptors ---- */
static int fd_alloc(struct file *f)
{
	for (int i = 0; i < NFD; i++)
		if (!cur->fd[i]) {
			cur->fd[i] = f;
			return i;
		}
	return -EMFILE;
}

static struct file *fd_get(u64 fd)
{
	if (fd >= NFD)
		return 0;
	return cur->fd[fd];
}

static void file_put(struct file *f)
{
	if (f->type == F_CONSOLE)
		return;
	if (--f->refs > 0)
		return;
	if (f->s)
		sock_release(f->s);
	kfree(f);
}

void files_close_all(struct thread *t)
{
	preempt_disable();
	for (int i = 0; i < NFD; i++) {
		if (t->fd[i]) {
			file_put(t->fd[i]);
			t->fd[i] = 0;
		}
	}
	preempt_enable();
}

void files_init_console(struct thread *t)
{
	t->fd[0] = t->fd[1] = t->fd[2] = &console_file;
}

static struct ksock *sock_of(u64 fd, i64 *err)
{
	struct file *f = fd_get(fd);
	if (!f) {
		*err = -EBADF;
		return 0;
	}
	if (f->type != F_SOCK) {
		*err = -ENOTSOCK;
		return 0;
	}
	return f->s;
}

static int file_poll(struct file *f)
{
	if (f->type == F_CONSOLE)
		return POLLOUT;
	return sock_poll(f->s);
}

/* ---- syscalls ---- */
static i64 sys_socket(u64 dom, u64 type, u64 proto)
{
	struct ksock *s;
	i64 r = sock_create(dom, type, proto, &s);
	if (r)
		return r;
	struct file *f = kzalloc(sizeof *f);
	if (!f) {
		sock_release(s);
		return -ENOMEM;
	}
	f->type = F_SOCK;
	f->refs = 1;
	f->s = s;
	int fd = fd_alloc(f);
	if (fd < 0)
		file_put(f);
	return fd;
}

static i64 sys_accept(struct ksock *s, u64 uaddr, u64 alenp, u64 flags)
{
	i64 r = sock_accept_wait(s);
	if (r)
		return r;
	struct file *f = kzalloc(sizeof *f);
	if (!f)
		return -ENOMEM;
	int fd = -EMFILE;
	for (int i = 0; i < NFD; i++)
		if (!cur->fd[i]) {
			fd = i;
			break;
		}
	if (fd < 0) {
		kfree(f);
		return fd;
	}
	struct ksock *c = sock_accept_take(s, flags);
	f->type = F_SOCK;
	f->refs = 1;
	f->s = c;
	cur->fd[fd] = f;
	if (uaddr) {
		r = sock_peer_addr(c, uaddr, alenp);
		if (r)
			return r;
	}
	return fd;
}

static i64 sys_close(u64 fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	cur->fd[fd] = 0;
	file_put(f);
	return 0;
}

static i64 console_write(const u8 *buf, u64 len)
{
	u64 fl = irq_save();
	for (u64 i = 0; i < len; i++) {
		if (buf[i] == '\n')
			uart_putc('\r');
		uart_putc(buf[i]);
	}
	irq_restore(fl);
	return len;
}

static i64 sys_rw(u64 fd, u64 ubuf, u64 len, int write, int flags, u64 a, u64 alen)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	if (!uaccess_ok((void *)ubuf, len, !write))
		return -EFAULT;
	if (f->type == F_CONSOLE)
		return write ? console_write((u8 *)ubuf, len) : 0;
	if (write)
		return sock_send(f->s, (const u8 *)ubuf, len, flags, a, alen);
	return sock_recv(f->s, (u8 *)ubuf, len, flags, a, alen);
}

static u64 ts_to_ticks(const struct wl_timespec *ts)
{
	u64 fr = timer_freq();
	return (u64)ts->sec * fr + (u64)ts->nsec * (fr / 1000000) / 1000;
}

static i64 sys_ppoll(u64 ufds, u64 n, u64 uts)
{
	if (n > 64)
		return -EINVAL;
	if (!uaccess_ok((void *)ufds, n * sizeof(struct wl_pollfd), 1))
		return -EFAULT;
	u64 deadline = 0;
	int nowait = 0;
	if (uts) {
		struct wl_timespec ts;
		if (!uaccess_ok((void *)uts, sizeof ts, 0))
			return -EFAULT;
		memcpy(&ts, (void *)uts, sizeof ts);
		if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
			return -EINVAL;
		u64 d = ts_to_ticks(&ts);
		if (d == 0)
			nowait = 1;
		deadline = timer_now() + d;
	}
	struct wl_pollfd *pf = (struct wl_pollfd *)ufds;
	for (;;) {
		int cnt = 0;
		for (u64 i = 0; i < n; i++) {
			struct wl_pollfd p;
			memcpy(&p, &pf[i], sizeof p);
			p.revents = 0;
			if (p.fd >= 0) {
				struct file *f = fd_get(p.fd);
				if (!f)
					p.revents = POLLNVAL;
				else
					p.revents = file_poll(f) & (p.events | POLLERR | POLLHUP);
			}
			if (p.revents)
				cnt++;
			memcpy(&pf[i], &p, sizeof p);
		}
		if (cnt || nowait)
			return cnt;
		if (sock_poll_sleep(deadline) < 0)
			nowait = 1; /* one last scan after the timeout */
	}
}

static i64 sys_nanosleep(u64 ureq)
{
	struct wl_timespec ts;
	if (!uaccess_ok((void *)ureq, sizeof ts, 0))
		return -EFAULT;
	memcpy(&ts, (void *)ureq, sizeof ts);
	if (ts.sec < 0 || ts.nsec < 0 || ts.nsec >= 1000000000)
		return -EINVAL;
	u64 deadline = timer_now() + ts_to_ticks(&ts);
	while (timer_now() < deadline)
		sleep_on(cur, deadline);
	return 0;
}

static i64 dispatch(u64 nr, u64 *a)
{
	i64 err = 0;
	struct ksock *s;
#define SOCK(fd) do { s = sock_of(fd, &err); if (!s) return err; } while (0)
	switch (nr) {
	case SYS_socket: return sys_socket(a[0], a[1], a[2]);
	case SYS_bind: SOCK(a[0]); return sock_bind(s, a[1], a[2]);
	case SYS_listen: SOCK(a[0]); return sock_listen(s, (i64)(int)a[1]);
	case SYS_accept: SOCK(a[0]); return sys_accept(s, a[1], a[2], 0);
	case SYS_accept4: SOCK(a[0]); return sys_accept(s, a[1], a[2], a[3]);
	case SYS_connect: SOCK(a[0]); return sock_connect(s, a[1], a[2]);
	case SYS_getsockname: SOCK(a[0]); return sock_sockname(s, a[1], a[2], 0);
	case SYS_getpeername: SOCK(a[0]); return sock_sockname(s, a[1], a[2], 1);
	case SYS_sendto: SOCK(a[0]); if (!uaccess_ok((void *)a[1], a[2], 0)) return -EFAULT;
#ifdef ZOO_AKUMA_DEADLOCK
		if (!a[4])
			return sock_sendto_fast(s, (const u8 *)a[1], a[2], (int)a[3]);
#endif
		return sock_send(s, (const u8 *)a[1], a[2], (int)a[3], a[4], a[5]);
	case SYS_recvfrom: SOCK(a[0]); if (!uaccess_ok((void *)a[1], a[2], 1)) return -EFAULT;
#ifdef ZOO_AKUMA_TORN_STATE
		return sock_recvfrom_preemptible(s, (u8 *)a[1], a[2], (int)a[3], a[4], a[5]);
#endif
		return sock_recv(s, (u8 *)a[1], a[2], (int)a[3], a[4], a[5]);
	case SYS_setsockopt: SOCK(a[0]); return sock_setsockopt(s, a[1], a[2], a[3], a[4]);
	case SYS_getsockopt: SOCK(a[0]); return sock_getsockopt(s, a[1], a[2], a[3], a[4]);
	case SYS_shutdown: SOCK(a[0]); return sock_shutdown(s, a[1]);
	case SYS_close: return sys_close(a[0]);
	case SYS_read: return sys_rw(a[0], a[1], a[2], 0, 0, 0, 0);
	case SYS_write: return sys_rw(a[0], a[1], a[2], 1, 0, 0, 0);
	case SYS_ppoll: return sys_ppoll(a[0], a[1], a[2]);
	case SYS_nanosleep: return sys_nanosleep(a[0]);
	}
	return -ENOSYS;
}

/* A lab call (svc #0x574c) reaches the kernel only when no lab host is
 * attached; the test build's stand-in host (guest/tests/kernel/fakelab.c) overrides this. */
__attribute__((weak)) int testing_lab_call(struct frame *f)
{
	(void)f;
	return 0;
}

void syscall_dispatch(struct frame *f, u32 imm)
{
	u64 nr = f->x[8];
	if (imm != 0) {
		if (!(imm == 0x574c && testing_lab_call(f)))
			f->x[0] = (u64)-ENOSYS;
		return;
	}
	switch (nr) {
	case SYS_exit:
	case SYS_exit_group:
		thread_exit((int)f->x[0]);
	case SYS_sched_yield:
		yield();
		f->x[0] = 0;
		return;
	case SYS_getpid:
		f->x[0] = cur->tid;
		return;
	}
	preempt_disable();
	i64 r = dispatch(nr, f->x);
	preempt_enable();
	f->x[0] = (u64)r;
}
