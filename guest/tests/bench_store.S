// Store benchmark: PASSES (100,000) passes over a 64 KiB buffer in RAM, each
// pass 1,024 iterations of four 16-byte `stp` plus four loop instructions,
// then a check of the first 16 bytes, one fixed line on the PL011 and a
// semihosting SYS_EXIT with code 0 (code 1 and a different line if the
// buffer does not hold what the last pass stored).
//
// Instructions retired from _start to the exit `hlt`, inclusive, on the
// success path (tools/bench_model.py computes this):
//   prologue 4 + PASSES x (2 + 1,024 x 8 + 2) + check 6 + adr 1
//   + print 4 x 18 chars + 2 + exit 3
//   = 4 + 100,000 x 8,196 + 84 = 819,600,088 instructions,
// of which 409,600,000 are `stp` (6.25 GiB written, 16 bytes each).
// Checked with tools/count_insns.py (Unicorn code hooks) on builds with
// -DPASSES=1 and 3 (8,284 and 24,676 instructions).
#ifndef PASSES
#define PASSES 100000
#endif
        .equ UART0, 0x09000000
        .equ BUFFER_SIZE, 65536
        .section .text.boot, "ax"
        .globl _start
_start:
        ldr     x1, =PASSES                     // 1
        ldr     x20, =buffer                    // 2
        mov     x2, #0                          // 3
        ldr     x19, =UART0                     // 4
outer:
        mov     x0, x20                         // 2 per pass
        mov     x4, #(BUFFER_SIZE / 64)
inner:
        stp     x2, x1, [x0]
        stp     x2, x1, [x0, #16]
        stp     x2, x1, [x0, #32]
        stp     x2, x1, [x0, #48]
        add     x0, x0, #64
        add     x2, x2, #1
        subs    x4, x4, #1
        b.ne    inner                           // 8 per inner iteration
        subs    x1, x1, #1
        b.ne    outer                           // 2 per pass
        ldp     x5, x6, [x20]                   // check: 6
        ldr     x7, =((PASSES - 1) * (BUFFER_SIZE / 64))
        cmp     x5, x7
        b.ne    wrong
        cmp     x6, #1                          // x1 was 1 during the last pass
        b.ne    wrong
        adr     x20, msg_ok                     // 1
print:
        ldrb    w0, [x20], #1                   // 4 per character, 2 for the NUL
        cbz     w0, done
        str     w0, [x19]
        b       print
done:
        adr     x1, exit_block                  // 3 with the hlt
        mov     w0, #0x18                       // SYS_EXIT, ADP_Stopped_ApplicationExit
        hlt     #0xf000
        b       .
wrong:                                          // buffer mismatch: exit code 1
        adr     x20, msg_wrong
1:      ldrb    w0, [x20], #1
        cbz     w0, 2f
        str     w0, [x19]
        b       1b
2:      adr     x1, exit_block_wrong
        mov     w0, #0x18
        hlt     #0xf000
        b       .

        .balign 8
exit_block:
        .quad   0x20026, 0                      // ADP_Stopped_ApplicationExit, 0
exit_block_wrong:
        .quad   0x20026, 1
msg_ok:     .asciz "bench_store: done\n"
msg_wrong:  .asciz "bench_store: WRONG BUFFER CONTENT\n"

        .bss
        .balign 65536                   // own pages, away from the code (QEMU
                                        // and Unicorn slow down stores to code pages)
buffer: .skip   BUFFER_SIZE
