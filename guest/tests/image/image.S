// The hello guest as an arm64 Linux Image (Documentation/arch/arm64/booting.rst):
// a 64-byte header, then position-independent code. Built twice: `image`
// with text_offset 0x80000 and `image_t0` with text_offset 0. It prints where
// it was loaded (relative to the RAM base), whether x0 holds a DTB (magic
// 0xd00dfeed, big-endian) and whether x1..x3 are zero as the protocol requires,
// then exits through semihosting with code 0.
        .equ UART0, 0x09000000
        .equ RAM_BASE, 0x40000000

        .section .text.boot, "ax"
        .globl _start
_start:
        b       entry                   // code0
        .word   0                       // code1
        .quad   TEXT_OFFSET             // text_offset
        .quad   _end                    // image_size (linked at 0: the end is the size)
        .quad   0x2                     // flags: little-endian, 4K pages, base near DRAM start
        .quad   0, 0, 0                 // res2..res4
        .ascii  "ARM\x64"               // magic
        .word   0                       // res5 (no PE header)

entry:
        mov     x19, x0
        mov     x20, x1
        mov     x21, x2
        mov     x22, x3
        adr     x0, stack_top
        mov     sp, x0

        adr     x0, msg_hello
        bl      puts
        adr     x0, msg_load            // load offset of _start from the RAM base
        bl      puts
        adr     x0, _start
        mov     x1, #RAM_BASE
        sub     x0, x0, x1
        bl      put_hex
        bl      put_nl

        adr     x0, msg_x0
        bl      puts
        adr     x0, msg_no
        cbz     x19, 1f
        adr     x0, msg_yes
1:      bl      puts
        adr     x0, msg_x123
        bl      puts
        orr     x1, x20, x21
        orr     x1, x1, x22
        adr     x0, msg_no
        cbnz    x1, 2f
        adr     x0, msg_yes
2:      bl      puts

        cbz     x19, 3f
        adr     x0, msg_magic
        bl      puts
        ldr     w0, [x19]
        rev     w0, w0                  // the FDT header is big-endian
        bl      put_hex
        bl      put_nl
3:
        adr     x1, exit_block          // SYS_EXIT, ADP_Stopped_ApplicationExit, 0
        mov     w0, #0x18
        hlt     #0xf000
        b       .

// puts(x0): write a NUL-terminated string to the PL011.
puts:
        mov     x9, #UART0
4:      ldrb    w10, [x0], #1
        cbz     w10, 5f
        str     w10, [x9]
        b       4b
5:      ret

put_nl:
        mov     x9, #UART0
        mov     w10, #'\n'
        str     w10, [x9]
        ret

// put_hex(x0): "0x" and the minimal hex digits.
put_hex:
        mov     x9, #UART0
        mov     w10, #'0'
        str     w10, [x9]
        mov     w10, #'x'
        str     w10, [x9]
        clz     x11, x0
        and     x11, x11, #~3           // leading zero bits, whole digits
        cmp     x11, #64
        b.ne    6f
        mov     x11, #60                // value 0 prints one digit
6:      mov     x12, #64
        sub     x12, x12, x11           // bits left to print
7:      sub     x12, x12, #4
        lsr     x10, x0, x12
        and     x10, x10, #15
        cmp     x10, #10
        add     x13, x10, #'0'
        add     x14, x10, #('a' - 10)
        csel    x10, x13, x14, lo
        str     w10, [x9]
        cbnz    x12, 7b
        ret

        .balign 8
exit_block:
        .quad   0x20026, 0
msg_hello:  .asciz "image: hello from an arm64 Image\n"
msg_load:   .asciz "image: loaded at RAM base + "
msg_x0:     .asciz "image: x0 non-zero: "
msg_x123:   .asciz "image: x1..x3 zero: "
msg_yes:    .asciz "yes\n"
msg_no:     .asciz "no\n"
msg_magic:  .asciz "image: dtb magic at x0: "
