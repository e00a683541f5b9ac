/* EL0 helpers shared by the guest's programs. */
#include "ulib.h"

void user_exit_stub(void)
{
	u_exit(0);
}

long u_write_all(int fd, const void *b, size_t n)
{
	const char *p = b;
	size_t done = 0;
	while (done < n) {
		long r = u_write(fd, p + done, n - done);
		if (r <= 0)
			return r < 0 ? r : -EPIPE;
		done += r;
	}
	return done;
}

int u_listen_tcp(int port, int backlog)
{
	return u_listen_tcp_flags(port, backlog, 0);
}

int u_listen_tcp_flags(int port, int backlog, int flags)
{
	struct wl_sockaddr_in sa = { AF_INET, (unsigned short)((port >> 8) | ((port & 0xff) << 8)), 0, { 0 } };
	int one = 1;
	long fd = u_socket(AF_INET, SOCK_STREAM | flags, 0);
	if (fd < 0)
		return fd;
	u_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, 4);
	long r = u_bind(fd, &sa, sizeof sa);
	if (r == 0)
		r = u_listen(fd, backlog);
	if (r < 0) {
		u_close(fd);
		return r;
	}
	return fd;
}
