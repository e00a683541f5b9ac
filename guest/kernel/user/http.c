/* EL0 HTTP/1.0 responder (port 80).
 *   GET /      -> 200, body "hello from wirelab-guest\n"
 *   GET /big   -> 200, 1 MiB body: 16384 lines of 64 bytes,
 *                 line k = 8 lowercase hex digits of k, a space,
 *                 54 x the letter ('a' + k % 26), '\n'
 *   otherwise  -> 404, body "not found\n"
 *   no end of header within 1023 bytes -> 400, body "bad request\n"
 * One request per connection; the server closes after the response. */
#include "ulib.h"

static char req[1024];
static char out[4096];

static int put_num(char *p, unsigned long v)
{
	char t[24];
	int n = 0, k = 0;
	do
		t[n++] = '0' + v % 10;
	while (v /= 10);
	while (n)
		p[k++] = t[--n];
	return k;
}

static int cat(char *p, const char *s)
{
	int n = 0;
	while (s[n])
		p[n] = s[n], n++;
	return n;
}

static void respond(int c, const char *status, const char *body, unsigned long blen, int big)
{
	int n = 0;
	n += cat(out + n, "HTTP/1.0 ");
	n += cat(out + n, status);
	n += cat(out + n, "\r\nServer: wirelab-guest\r\nContent-Type: text/plain\r\nContent-Length: ");
	n += put_num(out + n, blen);
	n += cat(out + n, "\r\nConnection: close\r\n\r\n");
	if (u_write_all(c, out, n) < 0)
		return;
	if (!big) {
		u_write_all(c, body, blen);
		return;
	}
	static const char hex[] = "0123456789abcdef";
	for (unsigned k = 0; k < 16384; k += 64) {
		for (unsigned j = 0; j < 64; j++) {
			unsigned line = k + j;
			char *l = out + j * 64;
			for (int d = 0; d < 8; d++)
				l[d] = hex[(line >> (28 - 4 * d)) & 15];
			l[8] = ' ';
			for (int d = 9; d < 63; d++)
				l[d] = 'a' + line % 26;
			l[63] = '\n';
		}
		if (u_write_all(c, out, 4096) < 0)
			return;
	}
}

static int starts(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

void http_main(uint64_t port)
{
	int l = u_listen_tcp((int)port, 16);
	if (l < 0)
		u_exit(1);
	for (;;) {
		long c = u_accept(l);
		if (c < 0)
			continue;
		int n = 0, done = 0;
		while (n < (int)sizeof req - 1 && !done) {
			long r = u_read(c, req + n, sizeof req - 1 - n);
			if (r <= 0)
				break;
			n += r;
			for (int i = 3; i < n; i++)
				if (req[i - 3] == '\r' && req[i - 2] == '\n' && req[i - 1] == '\r' && req[i] == '\n')
					done = 1;
		}
		req[n] = 0;
		if (done && starts(req, "GET / "))
			respond(c, "200 OK", "hello from wirelab-guest\n", 25, 0);
		else if (done && starts(req, "GET /big "))
			respond(c, "200 OK", 0, 1 << 20, 1);
		else if (done)
			respond(c, "404 Not Found", "not found\n", 10, 0);
		else if (n >= (int)sizeof req - 1)
			respond(c, "400 Bad Request", "bad request\n", 12, 0);
		u_shutdown(c, SHUT_WR);
		u_close(c);
	}
}
