// A device read that lowers an interrupt line: PL011 RX interrupt enabled at
// the UART and the GIC (SPI 1, INTID 33) but masked in PSTATE, the guest polls
// FR.RXFE, sees INTID 33 pending, and reads UARTDR, which clears the RX
// interrupt (the GIC then stops signalling the CPU). The read must still
// return the byte. Prints each byte read and the pending state around it.
#include "gic.h"

#define UART_SPI_INTID 33
#define UART_CR 0x030
#define UART_IMSC 0x038
#define UART_INT_RX (1u << 4)

void exc_handler(struct frame *f, u64 vec) {
    (void)f;
    puts("unexpected exception, vector ");
    put_hex(vec);
    put_kv_hex(" ESR", READ_SYSREG(esr_el1));
    semihost_exit(1);
}

int main(void) {
    int v = gic_discover();
    puts("gic: v");
    put_dec(v);
    uart_putc('\n');
    if (!v) return 1;
    vectors_install();
    gic_init();
    gic_enable(UART_SPI_INTID, 0x80);
    mmio_write32(UART0 + UART_IMSC, UART_INT_RX);
    mmio_write32(UART0 + UART_CR, 0x301);   // UARTEN, TXE, RXE
    for (int i = 0; i < 3; i++) {
        while (mmio_read32(UART0 + UART_FR) & UART_FR_RXFE) { }
        puts("INTID 33 pending: ");
        put_dec(gic_pending(UART_SPI_INTID));
        u32 c = mmio_read32(UART0 + UART_DR) & 0xff;
        puts(", read ");
        put_hex(c);
        uart_putc('\n');
    }
    return 0;
}
