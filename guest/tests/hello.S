// Prints a line on the PL011 and exits through semihosting with code 0.
        .equ UART0, 0x09000000
        .section .text.boot
        .globl _start
_start:
        ldr     x1, =stack_top
        mov     sp, x1
        ldr     x19, =UART0
        adr     x20, msg
1:      ldrb    w0, [x20], #1
        cbz     w0, 2f
        str     w0, [x19]
        b       1b
2:      adr     x1, exit_block          // SYS_EXIT, ADP_Stopped_ApplicationExit
        mov     w0, #0x18
        hlt     #0xf000
        b       .
        .balign 8
exit_block:
        .quad   0x20026, 0
msg:    .asciz  "hello from wirelab test guest\n"
