// CFI flash (QEMU virt: two pflash_cfi01 banks at 0 and 0x04000000, 32 bits wide
// made of two x16 devices, 256 KiB sectors): probes and programs bank 1 (and
// bank 0 when running from RAM), printing everything it reads. The first command
// after read-array mode is a post-indexed store, so a board that emulates the
// store after a fault must also do its write-back.
#include "lib.h"

#define BANK1 0x04000000UL
#define SECTOR (256UL << 10)

static inline u32 r32(u64 a) { return *(volatile u32 *)a; }
static inline u32 r16(u64 a) { return *(volatile unsigned short *)a; }
static inline u32 r8(u64 a) { return *(volatile u8 *)a; }
static inline void w32(u64 a, u32 v) { *(volatile u32 *)a = v; }
static inline void w16(u64 a, u32 v) { *(volatile unsigned short *)a = (unsigned short)v; }

static void show(const char *what, u32 v) {
    puts(what);
    puts("=");
    put_hex32(v);
    uart_putc('\n');
}

static u32 wait_ready(u64 bank) {
    u32 s;
    int n = 0;
    do {
        s = r32(bank);
    } while (!(s & 0x80) && ++n < 1000);
    return s;
}

static void probe(u64 bank) {
    // CFI query with a post-indexed store: x0 must move on by 4.
    u64 p = bank + 0x55 * 4;
    u64 q;
    u32 cmd = 0x98;
    __asm__ volatile("str %w2, [%0], #4" : "=r"(q) : "0"(p), "r"(cmd) : "memory");
    show("writeback ok", q == p + 4);
    puts("query:");
    for (u64 i = 0x10; i < 0x40; i++) {
        uart_putc(' ');
        put_hex(r32(bank + i * 4));
    }
    uart_putc('\n');
    show("query 0x10 (16-bit)", r16(bank + 0x10 * 4));
    show("query 0x11 (8-bit)", r8(bank + 0x11 * 4));
    show("query 0x60 (beyond)", r32(bank + 0x60 * 4));
    w32(bank, 0xff);
    show("array after 0xff", r32(bank + 0x10 * 4));
    w32(bank, 0x90);
    show("manufacturer", r32(bank));
    show("device", r32(bank + 4));
    show("id 2", r32(bank + 8));
    w32(bank, 0xff);
}

static void program_tests(u64 bank) {
    u64 s1 = bank + SECTOR;
    w32(bank, 0x70);
    show("status fresh", r32(bank));
    w32(bank, 0x50);
    w32(bank, 0x70);
    show("status cleared", r32(bank));
    show("status 16-bit", r16(bank));
    w32(bank, 0xff);

    w32(s1, 0x20);
    w32(s1, 0xd0);
    show("erase status", wait_ready(s1));
    w32(s1, 0xff);
    show("erased word", r32(s1 + 0x100));
    show("erased byte", r8(s1 + SECTOR - 1));
    show("next sector", r32(s1 + SECTOR));

    w32(s1, 0x40);
    w32(s1 + 8, 0x12345678);
    show("program status", wait_ready(s1));
    w32(s1, 0xff);
    show("programmed word", r32(s1 + 8));
    w16(s1, 0x40);
    w16(s1 + 0x12, 0xabcd);
    w16(s1, 0xff);
    show("programmed half", r32(s1 + 0x10));

    // Buffered program: 0xe8, status, word count - 1, the words, confirm 0xd0.
    w32(s1, 0xe8);
    show("buffer status", r32(s1));
    w32(s1, 3);
    for (u32 i = 0; i < 4; i++) {
        w32(s1 + 0x40 + 4 * i, 0xc0de0000 | i);
    }
    w32(s1, 0xd0);
    show("buffered status", wait_ready(s1));
    w32(s1, 0xff);
    puts("buffered:");
    for (u32 i = 0; i < 5; i++) {
        uart_putc(' ');
        put_hex32(r32(s1 + 0x40 + 4 * i));
    }
    uart_putc('\n');

    // A 64-bit store of a command pair and a stp: both become two 32-bit accesses.
    *(volatile u64 *)s1 = 0x000000ff00000070UL;
    show("after 64-bit store", r32(s1 + 8));
    w32(s1, 0x60);
    w32(s1, 0xd0);
    show("unlock status", r32(s1));
    w32(s1, 0xff);
    show("unknown command then array", r32(s1 + 8));
}

int main(void) {
    u64 pc;
    __asm__ volatile("adr %0, ." : "=r"(pc));
    int from_flash = pc < 0x40000000UL;
    puts(from_flash ? "flash: running from flash\n" : "flash: running from RAM\n");
    show("bank1 array", r32(BANK1));
    probe(BANK1);
    program_tests(BANK1);
    if (!from_flash) {
        puts("bank 0:\n");
        probe(0);
        program_tests(0);
    }
    // Executes again from flash after all that (a stale translation would show here).
    show("bank1 final", r32(BANK1 + SECTOR + 8));
    puts("flash: done\n");
    semihost_exit(0);
}
