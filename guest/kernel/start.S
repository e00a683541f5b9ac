/* Entry (arm64 Linux Image header), exception vectors, context switch. */
	.section .text.head, "ax"
	.globl _start
_start:
	b	entry			/* code0 */
	.word	0			/* code1 */
	.quad	0x200000		/* text_offset */
	.quad	_image_size		/* image_size (includes bss) */
	.quad	0x2			/* flags: LE, 4K pages */
	.quad	0, 0, 0
	.ascii	"ARM\x64"		/* magic at 0x38 */
	.word	0

entry:
	mov	x19, x0			/* DTB pointer (Linux boot protocol) */
	msr	daifset, #0xf
	mrs	x1, mpidr_el1		/* single CPU: park any secondary that starts here */
	and	x1, x1, #0xffffff
	cbz	x1, 0f
6:	wfe
	b	6b
0:
	mrs	x1, CurrentEL
	lsr	x1, x1, #2
	cmp	x1, #2
	b.ne	1f
	/* Started at EL2: run the kernel at EL1. */
	mov	x1, #(1 << 31)		/* HCR_EL2.RW */
	msr	hcr_el2, x1
	mov	x1, #3			/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x1
	msr	cntvoff_el2, xzr
	mrs	x1, id_aa64pfr0_el1	/* GICv3 system registers: let EL1 use them */
	ubfx	x1, x1, #24, #4
	cbz	x1, 7f
	mov	x1, #0xf		/* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
	msr	S3_4_C12_C9_5, x1
	isb
7:
	mov	x1, #0x3c5
	msr	spsr_el2, x1
	adr	x1, 1f
	msr	elr_el2, x1
	eret
1:
	/* Count instructions from here (PMU event 0x08 INST_RETIRED) when a
	 * PMUv3 exists; bench.sh reads it at 'ready' (bootarg bench). */
	mrs	x1, id_aa64dfr0_el1
	ubfx	x1, x1, #8, #4
	cbz	x1, 5f
	cmp	x1, #0xf
	b.eq	5f
	mrs	x1, pmcr_el0		/* PMCR_EL0.N: number of event counters */
	ubfx	x1, x1, #11, #5
	cbz	x1, 5f
	mov	x1, #0x08
	msr	pmevtyper0_el0, x1
	mov	x1, #1
	msr	pmcntenset_el0, x1
	mrs	x1, pmcr_el0
	orr	x1, x1, #3
	msr	pmcr_el0, x1
	isb
5:
	ldr	x1, =boot_stack_top
	mov	sp, x1
	ldr	x1, =__bss_start
	ldr	x2, =__bss_end
2:	cmp	x1, x2			/* bss is 64-byte aligned and sized */
	b.hs	3f
	stp	xzr, xzr, [x1]
	stp	xzr, xzr, [x1, #16]
	stp	xzr, xzr, [x1, #32]
	stp	xzr, xzr, [x1, #48]
	add	x1, x1, #64
	b	2b
3:
	ldr	x1, =vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	kmain
4:	wfi
	b	4b

/* ---- exception frame: x0..x30, sp_el0, elr, spsr (272 bytes) ---- */
.macro SAVE
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x21, sp_el0
	mrs	x22, elr_el1
	mrs	x23, spsr_el1
	stp	x30, x21, [sp, #240]
	stp	x22, x23, [sp, #256]
.endm

.macro VEC handler, kind
	.balign	0x80
	SAVE
	mov	x0, sp
	mov	x1, #\kind
	bl	\handler
	b	exc_return
.endm

	.text
	.balign	0x800
	.globl	vectors
vectors:
	VEC	exc_bad, 0		/* current EL, SP0 */
	VEC	exc_bad, 1
	VEC	exc_bad, 2
	VEC	exc_bad, 3
	VEC	exc_el1_sync, 4		/* current EL, SPx */
	VEC	exc_irq, 5
	VEC	exc_bad, 6
	VEC	exc_bad, 7
	VEC	exc_el0_sync, 8		/* lower EL, AArch64 */
	VEC	exc_irq, 9
	VEC	exc_bad, 10
	VEC	exc_bad, 11
	VEC	exc_bad, 12		/* lower EL, AArch32 */
	VEC	exc_bad, 13
	VEC	exc_bad, 14
	VEC	exc_bad, 15

	.globl	exc_return
exc_return:
	msr	daifset, #2
	ldp	x22, x23, [sp, #256]
	ldp	x30, x21, [sp, #240]
	msr	sp_el0, x21
	msr	elr_el1, x22
	msr	spsr_el1, x23
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #272
	eret

/* void cpu_switch(struct ctx *old, struct ctx *new) */
	.globl	cpu_switch
cpu_switch:
	stp	x19, x20, [x0, #0]
	stp	x21, x22, [x0, #16]
	stp	x23, x24, [x0, #32]
	stp	x25, x26, [x0, #48]
	stp	x27, x28, [x0, #64]
	stp	x29, x30, [x0, #80]
	mov	x9, sp
	str	x9, [x0, #96]
	ldp	x19, x20, [x1, #0]
	ldp	x21, x22, [x1, #16]
	ldp	x23, x24, [x1, #32]
	ldp	x25, x26, [x1, #48]
	ldp	x27, x28, [x1, #64]
	ldp	x29, x30, [x1, #80]
	ldr	x9, [x1, #96]
	mov	sp, x9
	ret

/* First run of a thread: x19 = C entry taking x20. */
	.globl	thread_trampoline
thread_trampoline:
	mov	x0, x20
	blr	x19
	b	.

/* Enter EL0 from a frame at x0 (the top of the kernel stack). */
	.globl	enter_user
enter_user:
	mov	sp, x0
	b	exc_return

	.section .bss
	.balign	16
boot_stack:
	.space	16384
	.globl	boot_stack_top
boot_stack_top:
