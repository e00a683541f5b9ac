/* EL0 TCP echo service (port 7): one connection at a time, in order. */
#include "ulib.h"

static char buf[4096];

void echo_main(uint64_t port)
{
	int l = u_listen_tcp((int)port, 16);
	if (l < 0)
		u_exit(1);
	for (;;) {
		long c = u_accept(l);
		if (c < 0)
			continue;
		for (;;) {
			long n = u_read(c, buf, sizeof buf);
			if (n <= 0)
				break;
			if (u_write_all(c, buf, n) < 0)
				break;
		}
		u_close(c);
	}
}
