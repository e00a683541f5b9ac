/* Freestanding C library pieces used by the kernel, lwIP and EL0 programs. */
#include "kernel.h"

void *memcpy(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	if (n >= 16) {
		/* Align the destination, then move 8 bytes per step. A source at another
		 * offset is read as aligned words and shifted together (little-endian), so
		 * every load is aligned and none leaves the source's last aligned word:
		 * frames sit 10 or 12 bytes into their buffers, and byte copies cost 8x. */
		while ((u64)dp & 7) {
			*dp++ = *sp++;
			n--;
		}
		u64 *dw = (u64 *)dp;
		size_t words = n >> 3;
		unsigned off = (u64)sp & 7;
		if (off == 0) {
			const u64 *sw = (const u64 *)sp;
			size_t i = 0;
			for (; i + 4 <= words; i += 4) {
				u64 w0 = sw[i], w1 = sw[i + 1], w2 = sw[i + 2], w3 = sw[i + 3];
				dw[i] = w0;
				dw[i + 1] = w1;
				dw[i + 2] = w2;
				dw[i + 3] = w3;
			}
			for (; i < words; i++)
				dw[i] = sw[i];
		} else {
			const u64 *sw = (const u64 *)(sp - off);
			unsigned lo = off * 8, hi = 64 - lo;
			u64 a = sw[0];
			size_t i = 0;
			for (; i + 4 <= words; i += 4) {
				u64 b = sw[i + 1], c = sw[i + 2], e = sw[i + 3], f = sw[i + 4];
				dw[i] = (a >> lo) | (b << hi);
				dw[i + 1] = (b >> lo) | (c << hi);
				dw[i + 2] = (c >> lo) | (e << hi);
				dw[i + 3] = (e >> lo) | (f << hi);
				a = f;
			}
			for (; i < words; i++) {
				u64 b = sw[i + 1];
				dw[i] = (a >> lo) | (b << hi);
				a = b;
			}
		}
		dp += words << 3;
		sp += words << 3;
		n &= 7;
	}
	while (n--)
		*dp++ = *sp++;
	return d;
}

void *memmove(void *d, const void *s, size_t n)
{
	u8 *dp = d;
	const u8 *sp = s;
	if (dp <= sp || dp >= sp + n)
		return memcpy(d, s, n);
	while (n--)
		dp[n] = sp[n];
	return d;
}

void *memset(void *d, int c, size_t n)
{
	u8 *dp = d;
	if (((u64)dp & 7) == 0 && n >= 8) {
		u64 v = (u8)c;
		v |= v << 8; v |= v << 16; v |= v << 32;
		while (n >= 8) {
			*(u64 *)dp = v;
			dp += 8; n -= 8;
		}
	}
	while (n--)
		*dp++ = (u8)c;
	return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (u8)*a - (u8)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (; *s; s++)
		if (*s == (char)c)
			return (char *)s;
	return c ? 0 : (char *)s;
}

int atoi(const char *s)
{
	int neg = 0, v = 0;
	if (*s == '-')
		neg = 1, s++;
	while (*s >= '0' && *s <= '9')
		v = v * 10 + (*s++ - '0');
	return neg ? -v : v;
}

/* ---- formatted output: %d %u %x %lx %llu %s %c %p %%, width and '0' ---- */
struct outbuf { char *buf; size_t n, pos; };

static void out(struct outbuf *o, char c)
{
	if (o->pos + 1 < o->n)
		o->buf[o->pos] = c;
	o->pos++;
}

static void out_num(struct outbuf *o, u64 v, int base, int width, char pad, int neg)
{
	char tmp[24];
	int i = 0;
	do {
		int d = v % base;
		tmp[i++] = d < 10 ? '0' + d : 'a' + d - 10;
		v /= base;
	} while (v);
	if (neg)
		tmp[i++] = '-';
	while (width-- > i)
		out(o, pad);
	while (i)
		out(o, tmp[--i]);
}

int kvsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct outbuf o = { buf, n, 0 };
	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out(&o, *fmt);
			continue;
		}
		fmt++;
		char pad = ' ';
		int width = 0, lng = 0;
		if (*fmt == '0')
			pad = '0', fmt++;
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z')
			lng = 1, fmt++;
		switch (*fmt) {
		case 'd': {
			i64 v = lng ? va_arg(ap, i64) : va_arg(ap, int);
			out_num(&o, v < 0 ? -(u64)v : (u64)v, 10, width, pad, v < 0);
			break;
		}
		case 'u':
			out_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 10, width, pad, 0);
			break;
		case 'x':
			out_num(&o, lng ? va_arg(ap, u64) : va_arg(ap, unsigned), 16, width, pad, 0);
			break;
		case 'p':
			out(&o, '0'); out(&o, 'x');
			out_num(&o, (u64)va_arg(ap, void *), 16, 16, '0', 0);
			break;
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (!s)
				s = "(null)";
			int l = strlen(s);
			while (width-- > l)
				out(&o, ' ');
			while (*s)
				out(&o, *s++);
			break;
		}
		case 'c':
			out(&o, (char)va_arg(ap, int));
			break;
		case '%':
			out(&o, '%');
			break;
		default:
			out(&o, '%');
			if (*fmt)
				out(&o, *fmt);
			else
				fmt--;
		}
	}
	if (n)
		buf[o.pos < n ? o.pos : n - 1] = 0;
	return o.pos;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return r;
}
