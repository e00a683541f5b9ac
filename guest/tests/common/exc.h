// Exception support shared by the exception/interrupt test guests: the vector
// table (vectors.S) saves the full interrupted context in a struct frame on the
// SP_EL1 stack, calls the guest's exc_handler, restores the (possibly changed)
// frame and erets. el0_call runs a function at EL0 until it asks EL1 to return.
#ifndef WIRELAB_TESTS_EXC_H
#define WIRELAB_TESTS_EXC_H
#include "lib.h"

#define READ_SYSREG(name) ({ u64 v_; __asm__ volatile("mrs %0, " #name : "=r"(v_)); v_; })
#define WRITE_SYSREG(name, v) __asm__ volatile("msr " #name ", %0" : : "r"((u64)(v)) : "memory")
#define ISB() __asm__ volatile("isb" : : : "memory")
#define IRQ_ON() __asm__ volatile("msr daifclr, #2; isb" : : : "memory")
#define IRQ_OFF() __asm__ volatile("msr daifset, #2" : : : "memory")
#define WFI() __asm__ volatile("dsb sy; wfi" : : : "memory")

// Vector offsets (the second argument of exc_handler).
#define VEC_CUR_SPX_SYNC 0x200
#define VEC_CUR_SPX_IRQ  0x280
#define VEC_LOWER_SYNC   0x400
#define VEC_LOWER_IRQ    0x480

// ESR_EL1 exception classes.
#define EC_UNKNOWN  0x00
#define EC_SVC64    0x15
#define EC_IABT_LOW 0x20
#define EC_IABT_CUR 0x21
#define EC_DABT_LOW 0x24
#define EC_DABT_CUR 0x25
#define EC_BRK64    0x3c

#define SPSR_EL0T 0x000UL
#define SPSR_EL1H_MASKED 0x3c5UL

// Layout fixed by vectors.S (FRAME_SIZE 288).
struct frame {
    u64 x[31];
    u64 sp_el0, elr, spsr;
    u64 pad[2];
};

extern char exc_vectors[];
// Provided by each guest that links vectors.S; vec is the vector offset.
void exc_handler(struct frame *f, u64 vec);

static inline void vectors_install(void) {
    WRITE_SYSREG(vbar_el1, exc_vectors);
    ISB();
}

static inline u64 esr_ec(u64 esr) { return (esr >> 26) & 0x3f; }

// Runs fn(arg) at EL0 (SPSR as given, SP_EL0 = sp) and returns the value the
// EL0 code hands back through el0_return (from an EL1 handler).
u64 el0_call(void (*fn)(u64), u64 arg, u64 sp, u64 spsr);
// Called by an exception handler on the frame of an EL0 exception: the eret
// then returns from el0_call at EL1 with value.
void el0_return(struct frame *f, u64 value);

#endif
