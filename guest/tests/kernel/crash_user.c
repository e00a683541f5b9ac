/* Test build only, EL0: the crash=user self-test, a program that overflows
 * its stack into the guard page; the kernel kills it and keeps running. */
#include "../user/ulib.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int deep(volatile char *p, int n)
{
	volatile char buf[1024];
	buf[0] = (char)n;
	if (p)
		buf[1] = p[0];
	return deep(buf, n + 1) + buf[0];
}

void crash_user_main(uint64_t arg)
{
	deep(0, (int)arg);
}
