// Tiny freestanding runtime shared by the C test guests: PL011 output,
// hex/decimal printing, Arm semihosting and PSCI calls, an FDT reader.
#ifndef WIRELAB_TESTS_LIB_H
#define WIRELAB_TESTS_LIB_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;
typedef long s64;

#define UART0 0x09000000UL
#define UART_DR 0x000
#define UART_FR 0x018
#define UART_FR_RXFE (1u << 4)
#define UART_FR_TXFF (1u << 5)

// Boot registers as the loader left them (saved by crt.S before anything else).
extern u64 boot_x0, boot_x1, boot_x2, boot_x3;

static inline u32 mmio_read32(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(u64 addr, u32 v) { *(volatile u32 *)addr = v; }

void uart_putc(char c);
int uart_getc(void);              // blocks until FR.RXFE clears
void puts(const char *s);         // no newline added
void put_hex(u64 v);              // "0x" + minimal hex digits
void put_hex32(u32 v);            // "0x" + exactly 8 digits
void put_dec(s64 v);
void put_kv_hex(const char *key, u64 v);   // "key=0x...\n"

// Arm semihosting (hlt #0xf000).
u64 semihost(u32 op, u64 arg);
void semihost_exit(u32 code) __attribute__((noreturn));   // SYS_EXIT_EXTENDED

// PSCI through the HVC or SMC conduit (SMCCC: function id in w0, args x1..x3).
s64 psci_hvc(u32 fn, u64 a1, u64 a2, u64 a3);
s64 psci_smc(u32 fn, u64 a1, u64 a2, u64 a3);

// Where the DTB is: x0 for Linux-style boots, else the start of RAM (QEMU -bios).
const void *find_dtb(void);
u32 be32(const void *p);

void *memset(void *d, int c, u64 n);
void *memcpy(void *d, const void *s, u64 n);
int strcmp(const char *a, const char *b);
u64 strlen(const char *s);

int main(void);

#endif
