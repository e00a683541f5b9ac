/* EL0 echo service on port 7: TCP (up to 8 concurrent connections) and UDP,
 * multiplexed with ppoll over non-blocking sockets. A TCP connection is
 * closed after the peer's FIN once everything received has been echoed. */
#include "ulib.h"

#define MAXC 8
#define BUFSZ 4096

static struct conn { int fd; int len, off; char buf[BUFSZ]; } conns[MAXC];
static char ubuf[2048];

static void drop(struct conn *c)
{
	u_close(c->fd);
	c->fd = -1;
}

/* Write what is pending; returns 0 when done or blocked, -1 on error. */
static int flush(struct conn *c)
{
	while (c->off < c->len) {
		long r = u_write(c->fd, c->buf + c->off, c->len - c->off);
		if (r == -EAGAIN)
			return 0;
		if (r <= 0)
			return -1;
		c->off += r;
	}
	c->len = c->off = 0;
	return 0;
}

void echo_main(uint64_t port)
{
	int l = u_listen_tcp_flags((int)port, 16, SOCK_NONBLOCK);
	if (l < 0)
		u_exit(1);
	struct wl_sockaddr_in sa = { AF_INET, (unsigned short)((port >> 8) | ((port & 0xff) << 8)), 0, { 0 } };
	long u = u_socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (u >= 0 && u_bind(u, &sa, sizeof sa) < 0) {
		u_close(u);
		u = -1;
	}
	for (int i = 0; i < MAXC; i++)
		conns[i].fd = -1;
	struct wl_pollfd pf[MAXC + 2];
	for (;;) {
		int n = 0, nfree = 0;
		for (int i = 0; i < MAXC; i++) {
			if (conns[i].fd < 0) {
				nfree++;
				continue;
			}
			pf[n].fd = conns[i].fd;
			pf[n].events = conns[i].len ? POLLOUT : POLLIN;
			pf[n].revents = 0;
			n++;
		}
		int il = n;
		pf[n].fd = nfree ? l : -1; /* stop accepting while all slots are busy */
		pf[n].events = POLLIN;
		pf[n++].revents = 0;
		pf[n].fd = u;
		pf[n].events = POLLIN;
		pf[n++].revents = 0;
		if (sc(SYS_ppoll, pf, n, 0) < 0)
			continue;
		int k = 0;
		for (int i = 0; i < MAXC; i++) {
			struct conn *c = &conns[i];
			if (c->fd < 0)
				continue;
			short re = pf[k++].revents;
			if (!re)
				continue;
			if (c->len) {
				if (flush(c) < 0)
					drop(c);
				continue;
			}
			long r = u_read(c->fd, c->buf, BUFSZ);
			if (r == -EAGAIN)
				continue;
			if (r <= 0) {
				drop(c);
				continue;
			}
			c->len = r;
			c->off = 0;
			if (flush(c) < 0)
				drop(c);
		}
		if (pf[il].revents & POLLIN) {
			for (int i = 0; i < MAXC; i++) {
				if (conns[i].fd >= 0)
					continue;
				long fd = sc6(SYS_accept4, l, 0, 0, SOCK_NONBLOCK, 0, 0);
				if (fd < 0)
					break;
				conns[i].fd = fd;
				conns[i].len = conns[i].off = 0;
			}
		}
		if (u >= 0 && (pf[il + 1].revents & POLLIN)) {
			struct wl_sockaddr_in from;
			unsigned int flen = sizeof from;
			long r = sc6(SYS_recvfrom, u, (long)ubuf, sizeof ubuf, 0, (long)&from, (long)&flen);
			if (r >= 0)
				sc6(SYS_sendto, u, (long)ubuf, r, 0, (long)&from, sizeof from);
		}
	}
}
