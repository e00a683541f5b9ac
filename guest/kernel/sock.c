/* The kernel's socket layer over lwIP's raw API (the syscall layer,
 * syscall.c, owns the fds). Every lwIP call happens with preemption disabled;
 * blocking calls sleep on the socket (a wait channel) and are woken by lwIP
 * callbacks that run in the network thread. */
#include "kernel.h"
#include "errno.h"
#include "sock.h"
#include "zoo/zoo.h"
#include "lwip/tcp.h"
#include "lwip/udp.h"
#include "lwip/ip4_addr.h"

#define NSOCK 64
#define ACQ_MAX 16
#define UQ_MAX 8

enum { S_FREE, S_NEW, S_LISTEN, S_CONNECTING, S_CONNECTED, S_CLOSED };

struct ksock {
	int state, type, refs, nonblock;
	struct tcp_pcb *tpcb;
	struct udp_pcb *upcb;
	struct pbuf *rx;
	int rx_eof, shut_rd, shut_wr, err;
	struct ksock *acq[ACQ_MAX];
	int acq_head, acq_n, backlog;
	int rcvbuf, sndbuf, nodelay, reuse;
	struct { struct pbuf *p; u32 addr; u16 port; } uq[UQ_MAX];
	int uq_head, uq_n;
};

static struct ksock socks[NSOCK];
static int poll_chan;
static int listen_mask;

static void wake(struct ksock *s)
{
	wakeup(s);
	wakeup(&poll_chan);
}

static int nsock_limit; /* bootarg nsock=N shrinks the table (tests) */

static struct ksock *ksock_alloc(int type)
{
	if (!nsock_limit) {
		const char *v = bootarg("nsock");
		nsock_limit = (v && atoi(v) > 0 && atoi(v) < NSOCK) ? atoi(v) : NSOCK;
	}
	for (int i = 0; i < nsock_limit; i++) {
		struct ksock *s = &socks[i];
		if (s->state == S_FREE) {
			memset(s, 0, sizeof *s);
			s->state = S_NEW;
			s->type = type;
			s->refs = 1;
			s->rcvbuf = TCP_WND;
			s->sndbuf = TCP_SND_BUF;
			return s;
		}
	}
	return 0;
}

/* ---- lwIP callbacks (network thread, preemption disabled) ---- */
static err_t cb_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	struct ksock *s = arg;
	(void)err;
	if (!p) {
		s->rx_eof = 1;
		wake(s);
		return ERR_OK;
	}
	if (s->shut_rd) {
		tcp_recved(pcb, p->tot_len);
		pbuf_free(p);
		return ERR_OK;
	}
	if (s->rx)
		pbuf_cat(s->rx, p);
	else
		s->rx = p;
	wake(s);
	return ERR_OK;
}

static err_t cb_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb; (void)len;
	wake(arg);
	return ERR_OK;
}

static void cb_err(void *arg, err_t err)
{
	struct ksock *s = arg;
	if (!s)
		return;
	s->tpcb = 0; /* lwIP has freed it */
	if (s->state == S_CONNECTING)
		s->err = -ECONNREFUSED;
	else if (err == ERR_ABRT)
		s->err = -ECONNABORTED;
	else
		s->err = -ECONNRESET;
	s->state = S_CLOSED;
	wake(s);
}

static void setup_pcb(struct ksock *s, struct tcp_pcb *pcb)
{
	s->tpcb = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, cb_recv);
	tcp_sent(pcb, cb_sent);
	tcp_err(pcb, cb_err);
}

static err_t cb_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	struct ksock *s = arg;
	(void)pcb; (void)err;
	s->state = S_CONNECTED;
	wake(s);
	return ERR_OK;
}

static err_t cb_accept(void *arg, struct tcp_pcb *newpcb, err_t err)
{
	struct ksock *l = arg;
	if (err != ERR_OK || !newpcb)
		return ERR_VAL;
	struct ksock *s = (l && l->acq_n < l->backlog) ? ksock_alloc(SOCK_STREAM) : 0;
	if (!s) {
		/* Accept queue full or socket table exhausted: refuse with RST. */
		tcp_abort(newpcb);
		return ERR_ABRT;
	}
#ifdef ZOO_SMOLTCP_1144
	/* Bug zoo smoltcp-1144: the stack (patched ip4.c) let a SYN from 0.0.0.0
	 * through and completed the handshake; the socket layer insists. */
	kassert(!ip_addr_isany(&newpcb->remote_ip));
#endif
	s->state = S_CONNECTED;
	setup_pcb(s, newpcb);
	if (l->nodelay)
		tcp_nagle_disable(newpcb);
	l->acq[(l->acq_head + l->acq_n++) % ACQ_MAX] = s;
	wake(l);
	return ERR_OK;
}

static void cb_udp_recv(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	struct ksock *s = arg;
	(void)pcb;
	if (!s || s->uq_n >= UQ_MAX) {
		pbuf_free(p);
		return;
	}
	int i = (s->uq_head + s->uq_n++) % UQ_MAX;
	s->uq[i].p = p;
	s->uq[i].addr = ip4_addr_get_u32(addr);
	s->uq[i].port = port;
	wake(s);
}

/* ---- socket operations (preemption disabled by the caller) ---- */
void sock_release(struct ksock *s)
{
	if (--s->refs > 0)
		return;
	if (s->tpcb) {
		struct tcp_pcb *pcb = s->tpcb;
		tcp_arg(pcb, 0);
		if (s->state == S_LISTEN) {
			tcp_accept(pcb, 0);
		} else {
			tcp_recv(pcb, 0);
			tcp_sent(pcb, 0);
			tcp_err(pcb, 0);
		}
		if (tcp_close(pcb) != ERR_OK)
			tcp_abort(pcb);
		s->tpcb = 0;
	}
	if (s->upcb) {
		udp_remove(s->upcb);
		s->upcb = 0;
	}
	if (s->rx)
		pbuf_free(s->rx);
	s->rx = 0;
	while (s->acq_n) {
		struct ksock *c = s->acq[s->acq_head];
		s->acq_head = (s->acq_head + 1) % ACQ_MAX;
		s->acq_n--;
		if (c->tpcb) {
			tcp_arg(c->tpcb, 0);
			tcp_recv(c->tpcb, 0);
			tcp_sent(c->tpcb, 0);
			tcp_err(c->tpcb, 0);
			tcp_abort(c->tpcb);
			c->tpcb = 0;
		}
		c->refs = 1;
		sock_release(c);
	}
	while (s->uq_n) {
		pbuf_free(s->uq[s->uq_head].p);
		s->uq_head = (s->uq_head + 1) % UQ_MAX;
		s->uq_n--;
	}
	s->state = S_FREE;
	wake(s);
}

static int errno_of(err_t e)
{
	switch (e) {
	case ERR_OK: return 0;
	case ERR_MEM: return -ENOMEM;
	case ERR_BUF: return -ENOBUFS;
	case ERR_USE: return -EADDRINUSE;
	case ERR_ISCONN: return -EISCONN;
	case ERR_ALREADY: return -EALREADY;
	case ERR_RTE: return -EHOSTUNREACH;
	case ERR_CONN: return -ENOTCONN;
	case ERR_RST: return -ECONNRESET;
	case ERR_ABRT: return -ECONNABORTED;
	case ERR_VAL: return -EINVAL;
	default: return -EIO;
	}
}

static int get_sa(u64 uaddr, u64 len, ip4_addr_t *ip, u16 *port)
{
	if (len < sizeof(struct wl_sockaddr_in))
		return -EINVAL;
	if (!uaccess_ok((void *)uaddr, sizeof(struct wl_sockaddr_in), 0))
		return -EFAULT;
	struct wl_sockaddr_in sa;
	memcpy(&sa, (void *)uaddr, sizeof sa);
	if (sa.family != AF_INET)
		return -EAFNOSUPPORT;
	ip4_addr_set_u32(ip, sa.addr);
	*port = lwip_ntohs(sa.port);
	return 0;
}

static int put_sa(u64 uaddr, u64 ulenp, u32 addr, u16 port)
{
	if (!uaddr)
		return 0;
	if (!uaccess_ok((void *)ulenp, 4, 1))
		return -EFAULT;
	u32 len;
	memcpy(&len, (void *)ulenp, 4);
	struct wl_sockaddr_in sa;
	memset(&sa, 0, sizeof sa);
	sa.family = AF_INET;
	sa.port = lwip_htons(port);
	sa.addr = addr;
	if (len > sizeof sa)
		len = sizeof sa;
	if (!uaccess_ok((void *)uaddr, len, 1))
		return -EFAULT;
	memcpy((void *)uaddr, &sa, len);
	len = sizeof sa;
	memcpy((void *)ulenp, &len, 4);
	return 0;
}

static int block_ok(struct ksock *s, int flags)
{
	return !(s->nonblock || (flags & MSG_DONTWAIT));
}

i64 sock_send(struct ksock *s, const u8 *buf, u64 len, int flags, u64 uaddr, u64 alen)
{
	if (s->type == SOCK_DGRAM) {
		ip4_addr_t ip;
		u16 port;
		if (!s->upcb)
			return -EBADF;
		if (len > 1472)
			return -EMSGSIZE;
		struct pbuf *p = pbuf_alloc(PBUF_TRANSPORT, len, PBUF_RAM);
		if (!p)
			return -ENOBUFS;
		pbuf_take(p, buf, len);
		err_t e;
		if (uaddr) {
			int r = get_sa(uaddr, alen, &ip, &port);
			if (r) {
				pbuf_free(p);
				return r;
			}
			e = udp_sendto(s->upcb, p, &ip, port);
		} else {
			e = udp_send(s->upcb, p);
		}
		pbuf_free(p);
		return e == ERR_OK ? (i64)len : errno_of(e);
	}
	u64 done = 0;
	while (done < len) {
		if (s->err)
			return done ? (i64)done : s->err;
		if (s->state == S_CONNECTING) {
			if (!block_ok(s, flags))
				return -EAGAIN;
			sleep_on(s, 0);
			continue;
		}
		if (s->state != S_CONNECTED || !s->tpcb || s->shut_wr)
			return done ? (i64)done : (s->state == S_CONNECTED || s->state == S_CLOSED) ? -EPIPE : -ENOTCONN;
		u32 space = tcp_sndbuf(s->tpcb);
		if (tcp_sndqueuelen(s->tpcb) >= TCP_SND_QUEUELEN - 4)
			space = 0;
		if (space == 0) {
			tcp_output(s->tpcb);
			if (!block_ok(s, flags))
				return done ? (i64)done : -EAGAIN;
			sleep_on(s, timer_now() + timer_freq() / HZ);
			continue;
		}
		u64 n = len - done;
		if (n > space)
			n = space;
		if (n > 0x4000)
			n = 0x4000;
		/* Cut the write to what the segment queue can still hold (one pbuf per
		 * MSS-sized segment): with a tiny peer MSS a write that fits the send
		 * buffer may need more segments than the queue has left, tcp_write()
		 * refuses all of it, and a poll that reported POLLOUT spins on EAGAIN
		 * (found by wirelab fuzz, tcp-established via the echo service). */
		u64 fit = (u64)(TCP_SND_QUEUELEN - 4 - tcp_sndqueuelen(s->tpcb)) * (s->tpcb->mss ? s->tpcb->mss : 1);
		if (n > fit)
			n = fit;
#ifdef ZOO_SMOLTCP_1161
		/* Bug zoo smoltcp-1161: writes are cut to the peer's MSS less a 48-byte
		 * option allowance, saturating at 0. With a tiny peer MSS the cut is 0:
		 * the socket pushes an empty segment and tries again, forever. */
		u64 seg = s->tpcb->mss > 48 ? s->tpcb->mss - 48u : 0;
		if (n > seg)
			n = seg;
		if (n == 0) {
			tcp_set_flags(s->tpcb, TF_ACK_NOW);
			tcp_output(s->tpcb);
			if (!block_ok(s, flags))
				return done ? (i64)done : -EAGAIN;
			sleep_on(s, timer_now() + timer_freq() / HZ);
			continue;
		}
#endif
		u8 wf = TCP_WRITE_FLAG_COPY | (done + n < len ? TCP_WRITE_FLAG_MORE : 0);
		err_t e = tcp_write(s->tpcb, buf + done, (u16)n, wf);
		if (e == ERR_MEM) {
			tcp_output(s->tpcb);
			if (!block_ok(s, flags))
				return done ? (i64)done : -EAGAIN;
			sleep_on(s, timer_now() + timer_freq() / HZ);
			continue;
		}
		if (e != ERR_OK)
			return done ? (i64)done : errno_of(e);
		done += n;
	}
	if (s->tpcb)
		tcp_output(s->tpcb);
	return done;
}

#ifdef ZOO_AKUMA_DEADLOCK
/* Bug zoo akuma-deadlock: a sendto fast path for a TCP payload that fits the
 * send buffer. It takes the stack lock while still preemptible (it should
 * disable preemption first); a tick or interrupt inside it that lets the
 * network thread run leaves that thread spinning on the lock with
 * interrupts masked, forever. */
i64 sock_sendto_fast(struct ksock *s, const u8 *buf, u64 len, int flags)
{
	if (s->type != SOCK_STREAM || s->state != S_CONNECTED || !s->tpcb || s->shut_wr || s->err ||
	    len == 0 || len > tcp_sndbuf(s->tpcb) || tcp_sndqueuelen(s->tpcb) >= TCP_SND_QUEUELEN - 4)
		return sock_send(s, buf, len, flags, 0, 0);
	struct tcp_pcb *pcb = s->tpcb;
	preempt_enable();
	zoo_stack_lock();
	err_t e = tcp_write(pcb, buf, (u16)len, TCP_WRITE_FLAG_COPY);
	if (e == ERR_OK)
		tcp_output(pcb);
	zoo_stack_unlock();
	preempt_disable();
	return e == ERR_OK ? (i64)len : errno_of(e);
}
#endif

#ifdef ZOO_AKUMA_TORN_STATE
static int recv_preemptible; /* set around recvfrom's call of sock_recv */

/* Bug zoo akuma-torn-state: recvfrom copies out and updates the receive
 * window with preemption enabled ("the copy may take long"), holding the
 * stack's borrow flag; if a tick or interrupt lets the network thread run
 * in between, it finds the stack borrowed and panics. */
i64 sock_recvfrom_preemptible(struct ksock *s, u8 *buf, u64 len, int flags, u64 uaddr, u64 alenp)
{
	recv_preemptible = 1;
	i64 r = sock_recv(s, buf, len, flags, uaddr, alenp);
	recv_preemptible = 0;
	return r;
}
#endif

i64 sock_recv(struct ksock *s, u8 *buf, u64 len, int flags, u64 uaddr, u64 alenp)
{
	if (s->type == SOCK_DGRAM) {
		while (!s->uq_n) {
			if (!block_ok(s, flags))
				return -EAGAIN;
			sleep_on(s, 0);
			if (s->state == S_FREE)
				return -EBADF;
		}
		int i = s->uq_head;
		struct pbuf *p = s->uq[i].p;
		u64 n = p->tot_len < len ? p->tot_len : len;
		pbuf_copy_partial(p, buf, n, 0);
		int r = put_sa(uaddr, alenp, s->uq[i].addr, s->uq[i].port);
		if (!(flags & MSG_PEEK)) {
			pbuf_free(p);
			s->uq_head = (s->uq_head + 1) % UQ_MAX;
			s->uq_n--;
		}
		return r ? r : (i64)n;
	}
	if (s->state == S_LISTEN || s->state == S_NEW)
		return -ENOTCONN;
	while (!s->rx) {
		if (s->err)
			return s->err;
		if (s->rx_eof || s->shut_rd || !s->tpcb)
			return 0;
		if (!block_ok(s, flags))
			return -EAGAIN;
		sleep_on(s, 0);
	}
	u64 n = s->rx->tot_len < len ? s->rx->tot_len : len;
#ifdef ZOO_AKUMA_TORN_STATE
	int torn = recv_preemptible;
	if (torn) {
		zoo_borrow_mut();
		preempt_enable();
	}
#endif
	pbuf_copy_partial(s->rx, buf, n, 0);
	if (!(flags & MSG_PEEK)) {
		s->rx = pbuf_free_header(s->rx, n);
		if (s->tpcb) {
			for (u64 k = n; k;) {
				u16 c = k > 0xffff ? 0xffff : (u16)k;
				tcp_recved(s->tpcb, c);
				k -= c;
			}
		}
	}
#ifdef ZOO_AKUMA_TORN_STATE
	if (torn) {
		preempt_disable();
		zoo_release();
	}
#endif
	if (uaddr && s->tpcb)
		put_sa(uaddr, alenp, ip4_addr_get_u32(&s->tpcb->remote_ip), s->tpcb->remote_port);
	return n;
}

void sock_listen_notify(int port)
{
	if (port == 7)
		listen_mask |= 1;
	if (port == 80)
		listen_mask |= 2;
	if (listen_mask == 3) {
		listen_mask |= 4;
		kputs("wirelab-guest: ready\n");
		bench_report();
	}
}

int sock_poll(struct ksock *s)
{
	int r = 0;
	if (s->type == SOCK_DGRAM)
		return (s->uq_n ? POLLIN : 0) | POLLOUT;
	if (s->state == S_LISTEN)
		return s->acq_n ? POLLIN : 0;
	if (s->rx || s->rx_eof || s->shut_rd || s->err)
		r |= POLLIN;
	if (s->rx_eof)
		r |= POLLRDHUP;
	if (s->state == S_CONNECTED && s->tpcb && !s->shut_wr && tcp_sndbuf(s->tpcb) > 0 &&
	    tcp_sndqueuelen(s->tpcb) < TCP_SND_QUEUELEN - 4)
		r |= POLLOUT;
	if (s->err)
		r |= POLLERR;
	if ((s->state == S_CLOSED && !s->tpcb) || (s->rx_eof && s->shut_wr))
		r |= POLLHUP;
	return r;
}

int sock_poll_sleep(u64 deadline)
{
	return sleep_on(&poll_chan, deadline);
}

/* ---- socket calls ---- */
i64 sock_create(u64 dom, u64 type, u64 proto, struct ksock **out)
{
	int nb = (type & SOCK_NONBLOCK) != 0;
	type &= ~(u64)(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (dom != AF_INET)
		return -EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return -EPROTONOSUPPORT;
	if (proto && !((type == SOCK_STREAM && proto == IPPROTO_TCP) || (type == SOCK_DGRAM && proto == IPPROTO_UDP)))
		return -EPROTONOSUPPORT;
	struct ksock *s = ksock_alloc(type);
	if (!s)
		return -ENFILE;
	s->nonblock = nb;
	if (type == SOCK_STREAM) {
		s->tpcb = tcp_new();
		if (s->tpcb)
			setup_pcb(s, s->tpcb);
	} else {
		s->upcb = udp_new();
		if (s->upcb)
			udp_recv(s->upcb, cb_udp_recv, s);
	}
	if (!s->tpcb && !s->upcb) {
		s->state = S_FREE;
		return -ENOBUFS;
	}
	*out = s;
	return 0;
}

i64 sock_bind(struct ksock *s, u64 uaddr, u64 len)
{
	ip4_addr_t ip;
	u16 port;
	int r = get_sa(uaddr, len, &ip, &port);
	if (r)
		return r;
	if (s->type == SOCK_DGRAM)
		return errno_of(udp_bind(s->upcb, &ip, port));
	if (!s->tpcb || s->state != S_NEW)
		return -EINVAL;
	if (s->reuse)
		ip_set_option(s->tpcb, SOF_REUSEADDR);
	return errno_of(tcp_bind(s->tpcb, &ip, port));
}

i64 sock_listen(struct ksock *s, i64 backlog)
{
	if (s->type != SOCK_STREAM)
		return -EOPNOTSUPP;
	if (s->state == S_LISTEN)
		return 0;
	if (s->state != S_NEW || !s->tpcb)
		return -EINVAL;
	if (backlog < 1)
		backlog = 1;
	if (backlog > ACQ_MAX)
		backlog = ACQ_MAX;
	if (s->tpcb->local_port == 0) {
		err_t e = tcp_bind(s->tpcb, IP4_ADDR_ANY4, 0);
		if (e)
			return errno_of(e);
	}
	struct tcp_pcb *old = s->tpcb;
	tcp_arg(old, 0);
	tcp_recv(old, 0);
	tcp_sent(old, 0);
	tcp_err(old, 0);
	err_t e = ERR_OK;
	struct tcp_pcb *l = tcp_listen_with_backlog_and_err(old, (u8)backlog, &e);
	if (!l) {
		setup_pcb(s, old);
		return errno_of(e);
	}
	s->tpcb = l;
	s->backlog = backlog;
	s->state = S_LISTEN;
	tcp_arg(l, s);
	tcp_accept(l, cb_accept);
	sock_listen_notify(l->local_port);
	return 0;
}

i64 sock_accept_wait(struct ksock *s)
{
	if (s->state != S_LISTEN)
		return -EINVAL;
	while (!s->acq_n) {
		if (s->nonblock)
			return -EAGAIN;
		sleep_on(s, 0);
		if (s->state != S_LISTEN)
			return -EBADF;
	}
	return 0;
}

struct ksock *sock_accept_take(struct ksock *s, u64 flags)
{
	struct ksock *c = s->acq[s->acq_head];
	s->acq_head = (s->acq_head + 1) % ACQ_MAX;
	s->acq_n--;
	c->nonblock = (flags & SOCK_NONBLOCK) != 0;
	return c;
}

i64 sock_peer_addr(struct ksock *c, u64 uaddr, u64 alenp)
{
	if (!c->tpcb)
		return 0;
	return put_sa(uaddr, alenp, ip4_addr_get_u32(&c->tpcb->remote_ip), c->tpcb->remote_port);
}

#ifdef ZOO_AWKERNEL_682
/* Bug zoo awkernel-682: the socket layer's consistency check, one connection
 * per 4-tuple (the patched lwIP port search breaks it). */
static int four_tuple_unique(const struct ksock *s)
{
	for (int i = 0; i < NSOCK; i++) {
		const struct ksock *o = &socks[i];
		if (o == s || !o->tpcb || (o->state != S_CONNECTING && o->state != S_CONNECTED))
			continue;
		if (o->tpcb->local_port == s->tpcb->local_port && o->tpcb->remote_port == s->tpcb->remote_port &&
		    ip_addr_cmp(&o->tpcb->remote_ip, &s->tpcb->remote_ip))
			return 0;
	}
	return 1;
}
#endif

i64 sock_connect(struct ksock *s, u64 uaddr, u64 len)
{
	ip4_addr_t ip;
	u16 port;
	int r = get_sa(uaddr, len, &ip, &port);
	if (r)
		return r;
	if (s->type == SOCK_DGRAM)
		return errno_of(udp_connect(s->upcb, &ip, port));
	if (s->state == S_CONNECTED)
		return -EISCONN;
	if (s->state == S_CONNECTING)
		return -EALREADY;
	if (s->state != S_NEW || !s->tpcb)
		return s->err ? s->err : -EINVAL;
	err_t e = tcp_connect(s->tpcb, &ip, port, cb_connected);
	if (e)
		return errno_of(e);
	s->state = S_CONNECTING;
#ifdef ZOO_AWKERNEL_682
	kassert(four_tuple_unique(s));
#endif
	if (s->nonblock)
		return -EINPROGRESS;
	while (s->state == S_CONNECTING)
		sleep_on(s, 0);
	if (s->state == S_CONNECTED)
		return 0;
	r = s->err ? s->err : -ECONNREFUSED;
	return r;
}

i64 sock_sockname(struct ksock *s, u64 uaddr, u64 alenp, int peer)
{
	u32 a = 0;
	u16 p = 0;
	if (s->tpcb) {
		if (peer && s->state != S_CONNECTED)
			return -ENOTCONN;
		a = ip4_addr_get_u32(peer ? &s->tpcb->remote_ip : &s->tpcb->local_ip);
		p = peer ? s->tpcb->remote_port : s->tpcb->local_port;
	} else if (s->upcb) {
		if (peer && !(s->upcb->flags & UDP_FLAGS_CONNECTED))
			return -ENOTCONN;
		a = ip4_addr_get_u32(peer ? &s->upcb->remote_ip : &s->upcb->local_ip);
		p = peer ? s->upcb->remote_port : s->upcb->local_port;
	} else if (peer) {
		return -ENOTCONN;
	}
	if (!uaddr)
		return -EFAULT;
	return put_sa(uaddr, alenp, a, p);
}

i64 sock_setsockopt(struct ksock *s, u64 level, u64 name, u64 uval, u64 len)
{
	if (len < 4 || !uaccess_ok((void *)uval, 4, 0))
		return len < 4 ? -EINVAL : -EFAULT;
	int v;
	memcpy(&v, (void *)uval, 4);
	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_REUSEADDR: s->reuse = v != 0; if (s->tpcb) { if (v) ip_set_option(s->tpcb, SOF_REUSEADDR); else ip_reset_option(s->tpcb, SOF_REUSEADDR); } return 0;
		case SO_RCVBUF: s->rcvbuf = v < 256 ? 256 : v; return 0;
		case SO_SNDBUF: s->sndbuf = v < 256 ? 256 : v; return 0;
		case SO_KEEPALIVE: return 0;
		}
		return -ENOPROTOOPT;
	}
	if (level == IPPROTO_TCP && name == TCP_NODELAY) {
		if (s->type != SOCK_STREAM)
			return -EOPNOTSUPP;
		s->nodelay = v != 0;
		if (s->tpcb && s->state != S_LISTEN) {
			if (v)
				tcp_nagle_disable(s->tpcb);
			else
				tcp_nagle_enable(s->tpcb);
		}
		return 0;
	}
	return -ENOPROTOOPT;
}

i64 sock_getsockopt(struct ksock *s, u64 level, u64 name, u64 uval, u64 ulenp)
{
	int v;
	if (level == SOL_SOCKET) {
		switch (name) {
		case SO_REUSEADDR: v = s->reuse; break;
		case SO_TYPE: v = s->type; break;
		case SO_ERROR: v = -s->err; s->err = 0; break;
		case SO_RCVBUF: v = s->rcvbuf; break;
		case SO_SNDBUF: v = s->sndbuf; break;
		case SO_KEEPALIVE: v = 0; break;
		default: return -ENOPROTOOPT;
		}
	} else if (level == IPPROTO_TCP && name == TCP_NODELAY) {
		v = s->nodelay;
	} else {
		return -ENOPROTOOPT;
	}
	if (!uaccess_ok((void *)ulenp, 4, 1))
		return -EFAULT;
	u32 l;
	memcpy(&l, (void *)ulenp, 4);
	if (l < 4)
		return -EINVAL;
	if (!uaccess_ok((void *)uval, 4, 1))
		return -EFAULT;
	memcpy((void *)uval, &v, 4);
	l = 4;
	memcpy((void *)ulenp, &l, 4);
	return 0;
}

i64 sock_shutdown(struct ksock *s, u64 how)
{
	if (how > SHUT_RDWR)
		return -EINVAL;
	if (s->type != SOCK_STREAM || s->state != S_CONNECTED)
		return -ENOTCONN;
	if (how == SHUT_RD || how == SHUT_RDWR) {
		s->shut_rd = 1;
		if (s->rx) {
			if (s->tpcb)
				tcp_recved(s->tpcb, s->rx->tot_len > 0xffff ? 0xffff : s->rx->tot_len);
			pbuf_free(s->rx);
			s->rx = 0;
		}
	}
	if ((how == SHUT_WR || how == SHUT_RDWR) && !s->shut_wr) {
		s->shut_wr = 1;
		if (s->tpcb)
			tcp_shutdown(s->tpcb, 0, 1);
	}
	wake(s);
	return 0;
}

