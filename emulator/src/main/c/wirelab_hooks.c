/*
 * Native Unicorn hooks for wirelab (built by the emulator module with the host cc).
 *
 * The block hook runs on every translated block, so it must not cross into Java
 * each time (an FFM upcall costs ~20 ns, this function ~2 ns). It keeps the exact
 * instruction count's block accounting in memory Java reads directly
 * (cpu/InstructionCounter), bumps the guest edge-coverage counters when a fuzzer
 * asked for them (coverage/EdgeMap), and calls up into Java only while the board
 * asked for it (a pending stop or an unmask watch): the `call_java` flag.
 *
 * The layouts of wl_counter and wl_edges are mirrored in unicorn/NativeHooks; keep them in step.
 */
#include <stdint.h>

typedef void (*wl_block_fn)(void *uc, uint64_t address, uint32_t size, void *user);

/* AFL-style edge counters over one address range (coverage/EdgeMap owns the memory). */
typedef struct wl_edges {
    uint8_t *counters;     /*  0: size saturating byte counters */
    uint64_t start;        /*  8: first covered address */
    uint64_t span;         /* 16: covered bytes */
    uint64_t shift;        /* 24: 64 - log2(size): a block's hash is the top bits of a multiplicative hash */
    uint64_t mask;         /* 32: size - 1 */
    uint64_t prev;         /* 40: the previous covered block's hash, shifted right once */
} wl_edges;

typedef struct wl_counter {
    uint64_t completed;    /*  0: instructions of whole blocks finished since the window began */
    uint64_t block_start;  /*  8: the current block's first instruction */
    uint64_t block_insns;  /* 16: instructions in the current block, not yet credited */
    uint64_t call_java;    /* 24: non-zero: also call java_block for this block */
    wl_block_fn java_block;/* 32: the board's Java block callback (an FFM upcall stub) */
    wl_edges *edges;       /* 40: edge coverage to update for every block, or NULL */
} wl_counter;

/* The same arithmetic as EdgeMap#onBlock (the Java path); the two must count identically. */
static inline void wl_edge(wl_edges *e, uint64_t address) {
    uint64_t off = address - e->start;
    if (off >= e->span) {  /* unsigned: below start wraps around and is out of range too */
        return;
    }
    uint64_t cur = ((off >> 2) * 0x9E3779B97F4A7C15ull) >> e->shift;
    uint8_t *counter = &e->counters[(cur ^ e->prev) & e->mask];
    if (*counter != 0xff) {
        (*counter)++;
    }
    e->prev = cur >> 1;
}

/* Unicorn UC_HOOK_BLOCK callback; user = the board's wl_counter. */
void wl_block_hook(void *uc, uint64_t address, uint32_t size, void *user) {
    wl_counter *c = (wl_counter *) user;
    c->completed += c->block_insns;
    c->block_start = address;
    c->block_insns = size >> 2;  /* AArch64: straight-line blocks of 4-byte instructions */
    wl_edges *e = __atomic_load_n(&c->edges, __ATOMIC_ACQUIRE);
    if (e) {
        wl_edge(e, address);
    }
    if (__atomic_load_n(&c->call_java, __ATOMIC_ACQUIRE)) {
        c->java_block(uc, address, size, 0);
    }
}

/* The ABI version Java checks before trusting the layouts above. */
uint32_t wl_hooks_version(void) {
    return 2;
}
