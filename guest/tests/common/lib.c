#include "lib.h"

void uart_putc(char c) {
    while (mmio_read32(UART0 + UART_FR) & UART_FR_TXFF) { }
    mmio_write32(UART0 + UART_DR, (u8)c);
}

int uart_getc(void) {
    while (mmio_read32(UART0 + UART_FR) & UART_FR_RXFE) { }
    return mmio_read32(UART0 + UART_DR) & 0xff;
}

void puts(const char *s) {
    while (*s) uart_putc(*s++);
}

static const char hexdig[] = "0123456789abcdef";

void put_hex(u64 v) {
    char buf[17];
    int n = 0;
    do { buf[n++] = hexdig[v & 15]; v >>= 4; } while (v);
    puts("0x");
    while (n) uart_putc(buf[--n]);
}

void put_hex32(u32 v) {
    puts("0x");
    for (int i = 28; i >= 0; i -= 4) uart_putc(hexdig[(v >> i) & 15]);
}

void put_dec(s64 v) {
    char buf[24];
    int n = 0;
    u64 u = v < 0 ? -(u64)v : (u64)v;
    if (v < 0) uart_putc('-');
    do { buf[n++] = '0' + u % 10; u /= 10; } while (u);
    while (n) uart_putc(buf[--n]);
}

void put_kv_hex(const char *key, u64 v) {
    puts(key);
    uart_putc('=');
    put_hex(v);
    uart_putc('\n');
}

u64 semihost(u32 op, u64 arg) {
    register u64 x0 __asm__("x0") = op;
    register u64 x1 __asm__("x1") = arg;
    __asm__ volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
    return x0;
}

void semihost_exit(u32 code) {
    static u64 block[2];
    block[0] = 0x20026;          // ADP_Stopped_ApplicationExit
    block[1] = code;
    semihost(0x20, (u64)block);  // SYS_EXIT_EXTENDED
    for (;;) { }
}

s64 psci_hvc(u32 fn, u64 a1, u64 a2, u64 a3) {
    register u64 x0 __asm__("x0") = fn;
    register u64 x1 __asm__("x1") = a1;
    register u64 x2 __asm__("x2") = a2;
    register u64 x3 __asm__("x3") = a3;
    __asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (s64)x0;
}

s64 psci_smc(u32 fn, u64 a1, u64 a2, u64 a3) {
    register u64 x0 __asm__("x0") = fn;
    register u64 x1 __asm__("x1") = a1;
    register u64 x2 __asm__("x2") = a2;
    register u64 x3 __asm__("x3") = a3;
    __asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
    return (s64)x0;
}

u32 be32(const void *p) {
    const u8 *b = p;
    return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

const void *find_dtb(void) {
    if (boot_x0 != 0) return (const void *)boot_x0;
    return (const void *)0x40000000UL;
}

int strcmp(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return (u8)*a - (u8)*b;
}

u64 strlen(const char *s) {
    u64 n = 0;
    while (s[n]) n++;
    return n;
}

// gcc may emit calls to these even with -ffreestanding.
void *memset(void *d, int c, u64 n) {
    u8 *p = d;
    while (n--) *p++ = (u8)c;
    return d;
}

void *memcpy(void *d, const void *s, u64 n) {
    u8 *p = d;
    const u8 *q = s;
    while (n--) *p++ = *q++;
    return d;
}
