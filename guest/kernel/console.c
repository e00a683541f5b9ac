/* PL011 console (transmit only; polled). */
#include "kernel.h"

#define UART_DR 0x00
#define UART_FR 0x18
#define FR_TXFF (1 << 5)

static u64 uart_base = 0x09000000;

void uart_init(u64 base)
{
	if (base)
		uart_base = base;
}

void uart_putc(char c)
{
	while (mmio_r32(uart_base + UART_FR) & FR_TXFF)
		;
	mmio_w32(uart_base + UART_DR, (u8)c);
}

void kputs(const char *s)
{
	u64 f = irq_save();
	for (; *s; s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
	irq_restore(f);
}

int kprintf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	int r = kvsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	kputs(buf);
	return r;
}
