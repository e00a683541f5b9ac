// Entry for the C test guests: keep the boot registers, set the stack, clear
// .bss, call main(), exit through semihosting with main's return value.
        .section .text.boot
        .globl _start
_start:
        mov     x19, x0
        mov     x20, x1
        mov     x21, x2
        mov     x22, x3
        ldr     x4, =stack_top
        mov     sp, x4
        ldr     x4, =__bss_start
        ldr     x5, =__bss_end
1:      cmp     x4, x5
        b.hs    2f
        str     xzr, [x4], #8
        b       1b
2:      ldr     x4, =boot_x0
        stp     x19, x20, [x4]
        stp     x21, x22, [x4, #16]
        bl      main
        bl      semihost_exit
        b       .

        .bss
        .balign 16
        .globl boot_x0, boot_x1, boot_x2, boot_x3
boot_x0: .quad 0
boot_x1: .quad 0
boot_x2: .quad 0
boot_x3: .quad 0
