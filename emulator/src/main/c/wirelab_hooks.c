/*
 * Native Unicorn hooks for wirelab (built by the emulator module with the host cc).
 *
 * The block hook runs on every translated block, so it must not cross into Java
 * each time (an FFM upcall costs ~20 ns, this function ~2 ns). It keeps the exact
 * instruction count's block accounting in memory Java reads directly
 * (cpu/InstructionCounter) and calls up into Java only while the board asked for
 * it (a pending stop or an unmask watch): the `call_java` flag.
 *
 * The layout of wl_counter is mirrored in InstructionCounter; keep them in step.
 */
#include <stdint.h>

typedef void (*wl_block_fn)(void *uc, uint64_t address, uint32_t size, void *user);

typedef struct wl_counter {
    uint64_t completed;    /*  0: instructions of whole blocks finished since the window began */
    uint64_t block_start;  /*  8: the current block's first instruction */
    uint64_t block_insns;  /* 16: instructions in the current block, not yet credited */
    uint64_t call_java;    /* 24: non-zero: also call java_block for this block */
    wl_block_fn java_block;/* 32: the board's Java block callback (an FFM upcall stub) */
} wl_counter;

/* Unicorn UC_HOOK_BLOCK callback; user = the board's wl_counter. */
void wl_block_hook(void *uc, uint64_t address, uint32_t size, void *user) {
    wl_counter *c = (wl_counter *) user;
    c->completed += c->block_insns;
    c->block_start = address;
    c->block_insns = size >> 2;  /* AArch64: straight-line blocks of 4-byte instructions */
    if (__atomic_load_n(&c->call_java, __ATOMIC_ACQUIRE)) {
        c->java_block(uc, address, size, 0);
    }
}

/* The ABI version Java checks before trusting the layout above. */
uint32_t wl_hooks_version(void) {
    return 1;
}
