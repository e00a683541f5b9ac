// PL011 receive: enables the UART (CR: UARTEN|TXE|RXE), prints a prompt, then
// reads bytes by polling FR.RXFE and echoes each one uppercased until it has
// echoed '\n' or '.', then prints how many bytes it read and exits with 0.
// Input: the console input (QEMU's stdin, wirelab's console().input()).
#include "lib.h"

#define UART_CR 0x030
#define UART_CR_UARTEN (1u << 0)
#define UART_CR_TXE (1u << 8)
#define UART_CR_RXE (1u << 9)

int main(void) {
    mmio_write32(UART0 + UART_CR, UART_CR_UARTEN | UART_CR_TXE | UART_CR_RXE);
    puts("uart_rx: ready\n");
    u32 n = 0;
    int c;
    do {
        c = uart_getc();
        n++;
        uart_putc(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    } while (c != '\n' && c != '.');
    if (c != '\n') uart_putc('\n');
    puts("uart_rx: ");
    put_dec(n);
    puts(" bytes\n");
    return 0;
}
