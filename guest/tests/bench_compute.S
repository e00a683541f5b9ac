// ALU throughput benchmark: ITERATIONS (150,000,000) rounds of an 8-instruction
// integer body plus the loop's subs/b.ne, then a checksum check, one fixed
// line on the PL011 and a semihosting SYS_EXIT with code 0 (code 1 and a
// different line if the checksum is wrong: the result is checked, not only timed).
//
// Instructions retired from _start to the exit `hlt`, inclusive, on the
// success path (tools/bench_model.py computes and checks this):
//   prologue 6 + loop 10 x 150,000,000 + check 6 + adr 1
//   + print 4 x 20 chars + 2 + exit 3
//   = 1,500,000,098 instructions.
// Checked with tools/count_insns.py (Unicorn code hooks) on builds with
// -DITERATIONS=1 and 1000 (108 and 10,098 instructions).
// The UART is written without polling FR, so the count does not depend on it.
#ifndef ITERATIONS
#define ITERATIONS 150000000
#define EXPECTED 0xac8c13ca8697a361      // tools/bench_model.py 150000000 --checksum
#endif
        .equ UART0, 0x09000000
        .section .text.boot, "ax"
        .globl _start
_start:
        ldr     x1, =ITERATIONS                 // 1
        mov     x2, #1                          // 2
        mov     x3, #0                          // 3
        mov     x4, #0                          // 4
        mov     x5, #0                          // 5
        ldr     x19, =UART0                     // 6
loop:
        add     x3, x3, x2
        eor     x2, x2, x3, ror #17
        add     x4, x4, x3, lsl #3
        sub     x5, x5, x4, lsr #5
        eor     x3, x3, x5
        add     x2, x2, #0x9b
        eor     x4, x4, x2, ror #29
        add     x5, x5, x3
        subs    x1, x1, #1
        b.ne    loop                            // 10 per iteration
        eor     x2, x2, x3                      // check: 6
        eor     x2, x2, x4
        eor     x2, x2, x5
        ldr     x6, =EXPECTED
        cmp     x2, x6
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
wrong:                                          // checksum mismatch: exit code 1
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
msg_ok:     .asciz "bench_compute: done\n"
msg_wrong:  .asciz "bench_compute: WRONG CHECKSUM\n"
