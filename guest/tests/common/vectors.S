// VBAR_EL1 vector table for the exception test guests (see exc.h). Every
// entry pushes a 288-byte struct frame (x0..x30, SP_EL0, ELR_EL1, SPSR_EL1) on
// the current SP_EL1 stack and calls exc_handler(frame, vector offset); the
// frame is written back on return, so a handler can skip an instruction,
// switch threads or leave EL0, and nested exceptions keep their own frames.
#define FRAME_SIZE 288

        .section .text.vectors, "ax"
        .balign 2048
        .globl exc_vectors
exc_vectors:
        .irp idx, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
        .balign 128
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        mov     x1, #(\idx * 0x80)
        b       exc_common
        .endr

exc_common:
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x6, x7, [sp, #48]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
        mrs     x2, sp_el0
        stp     x30, x2, [sp, #240]
        mrs     x2, elr_el1
        mrs     x3, spsr_el1
        stp     x2, x3, [sp, #256]
        mov     x0, sp
        bl      exc_handler
        ldp     x2, x3, [sp, #256]
        msr     elr_el1, x2
        msr     spsr_el1, x3
        ldp     x30, x2, [sp, #240]
        msr     sp_el0, x2
        ldp     x28, x29, [sp, #224]
        ldp     x26, x27, [sp, #208]
        ldp     x24, x25, [sp, #192]
        ldp     x22, x23, [sp, #176]
        ldp     x20, x21, [sp, #160]
        ldp     x18, x19, [sp, #144]
        ldp     x16, x17, [sp, #128]
        ldp     x14, x15, [sp, #112]
        ldp     x12, x13, [sp, #96]
        ldp     x10, x11, [sp, #80]
        ldp     x8, x9, [sp, #64]
        ldp     x6, x7, [sp, #48]
        ldp     x4, x5, [sp, #32]
        ldp     x2, x3, [sp, #16]
        ldp     x0, x1, [sp, #0]
        add     sp, sp, #FRAME_SIZE
        eret

// u64 el0_call(void (*fn)(u64), u64 arg, u64 sp, u64 spsr)
        .text
        .globl el0_call
el0_call:
        ldr     x9, =el1_context
        stp     x19, x20, [x9, #0]
        stp     x21, x22, [x9, #16]
        stp     x23, x24, [x9, #32]
        stp     x25, x26, [x9, #48]
        stp     x27, x28, [x9, #64]
        stp     x29, x30, [x9, #80]
        mov     x10, sp
        str     x10, [x9, #96]
        msr     elr_el1, x0
        msr     sp_el0, x2
        msr     spsr_el1, x3
        mov     x0, x1
        mov     x30, xzr
        eret

// Where el0_return sends the eret: back on el0_call's stack, x0 = the value.
        .globl el0_returned
el0_returned:
        ldr     x9, =el1_context
        ldr     x10, [x9, #96]
        mov     sp, x10
        ldp     x19, x20, [x9, #0]
        ldp     x21, x22, [x9, #16]
        ldp     x23, x24, [x9, #32]
        ldp     x25, x26, [x9, #48]
        ldp     x27, x28, [x9, #64]
        ldp     x29, x30, [x9, #80]
        ret

        .bss
        .balign 16
el1_context:
        .space 112
