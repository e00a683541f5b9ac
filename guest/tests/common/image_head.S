// arm64 Linux Image header for C test guests linked at 0x40080000 (ram.ld),
// so text_offset is 0x80000: QEMU and wirelab load the image at RAM base +
// text_offset, which is exactly the link address. Linked first, before crt.S.
        .section .text.boot, "ax"
        .globl image_head
image_head:
        b       _start                  // code0
        .word   0                       // code1
        .quad   0x80000                 // text_offset
        .quad   __image_size            // image_size, including bss and stack
        .quad   0x2                     // flags: little-endian, 4K pages
        .quad   0, 0, 0                 // res2..res4
        .ascii  "ARM\x64"               // magic
        .word   0                       // res5
