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
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <linux/userfaultfd.h>

typedef void (*wl_block_fn)(void *uc, uint64_t address, uint32_t size, void *user);
typedef int (*wl_reg_read_fn)(void *uc, int regid, void *value);  /* Unicorn's uc_reg_read */
typedef int (*wl_stop_fn)(void *uc);  /* Unicorn's uc_emu_stop */

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
    uint64_t unmask_bits;  /* 48: PSTATE mask bits (I, F) of a pending interrupt: call java_block once one clears */
    wl_reg_read_fn reg_read;/* 56: uc_reg_read, to read PSTATE for the unmask watch */
    uint64_t pstate_reg;   /* 64: Unicorn's register id of PSTATE */
    uint64_t stop_at;      /* 72: deadline, window-relative: stop before a block that would take completed past it */
    uint64_t stop_skip;    /* 80: a block start exempt from that stop once (the block the executor finishes exactly) */
    uint64_t stopped;      /* 88: set when this hook stopped the CPU at the deadline */
    wl_stop_fn emu_stop;   /* 96: uc_emu_stop */
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

/* The block hook's rarer work (edge coverage, the board's Java hook, the unmask watch), apart so
 * that the common path needs no stack frame. */
static __attribute__((noinline)) void wl_block_slow(void *uc, uint64_t address, uint32_t size, wl_counter *c) {
    wl_edges *e = __atomic_load_n(&c->edges, __ATOMIC_ACQUIRE);
    if (e) {
        wl_edge(e, address);
    }
    if (__atomic_load_n(&c->call_java, __ATOMIC_ACQUIRE)) {
        c->java_block(uc, address, size, 0);
        return;
    }
    /* An interrupt pending but masked: the board reacts at the first block where PSTATE unmasks
     * it (QEMU ends a block after every DAIF write, daifclr and eret). Checked here, not by an
     * upcall per block: a guest can run thousands of blocks with interrupts masked. */
    uint64_t bits = __atomic_load_n(&c->unmask_bits, __ATOMIC_ACQUIRE);
    if (bits) {
        uint64_t pstate = 0;
        if (c->reg_read(uc, (int) c->pstate_reg, &pstate) != 0 || (pstate & bits) != bits) {
            c->java_block(uc, address, size, 0);
        }
    }
}

/* Unicorn UC_HOOK_BLOCK callback; user = the board's wl_counter. */
void wl_block_hook(void *uc, uint64_t address, uint32_t size, void *user) {
    wl_counter *c = (wl_counter *) user;
    c->completed += c->block_insns;
    c->block_start = address;
    c->block_insns = size >> 2;  /* AArch64: straight-line blocks of 4-byte instructions */
    /* Count-free runs stop exactly: a block that would cross the deadline is stopped before it
     * runs (a stop from a block hook lands before the block's first instruction), without an
     * edge, so the run that finishes it counts it once, as a count-limited run would. */
    if (__builtin_expect(c->completed + c->block_insns > c->stop_at, 0)) {
        if (address == c->stop_skip) {
            c->stop_skip = UINT64_MAX;
        } else {
            c->stopped = 1;  /* block_insns stays: it is credited only by a next block, never after a begin */
            c->emu_stop(uc);
            return;
        }
    }
    if (__atomic_load_n(&c->edges, __ATOMIC_ACQUIRE) || __atomic_load_n(&c->call_java, __ATOMIC_ACQUIRE)
            || __atomic_load_n(&c->unmask_bits, __ATOMIC_ACQUIRE)) {
        wl_block_slow(uc, address, size, c);
    }
}

/*
 * MRS/MSR filter: Unicorn calls a UC_HOOK_INSN hook on every system-register move, the guest's
 * own (DAIF, SPSR_EL1, ELR_EL1, SP_EL0 on every exception entry and return) included. Only the
 * registers the board serves (timer, GIC, host state) or watches (translation registers) need
 * Java; for the rest this returns 0 (Unicorn performs the move) without an FFM upcall.
 * For those it does call up, it reads PC first (the board's exact clock needs it) and afterwards
 * writes Xt and moves PC past the instruction when Java asked: each saves Java a downcall.
 */
typedef uint32_t (*wl_sys_fn)(void *uc, int reg, const void *cp, void *user);
typedef int (*wl_reg_write_fn)(void *uc, int regid, const void *value);  /* Unicorn's uc_reg_write */

typedef struct wl_sys_filter {
    wl_sys_fn java;          /*    0: the board's Java callback (an FFM upcall stub) */
    uint8_t wanted[8192];    /*    8: one bit per op0:op1:CRn:CRm:op2 packed as in MRS bits [20:5] */
    wl_reg_read_fn reg_read; /* 8200: uc_reg_read */
    wl_reg_write_fn reg_write;/* 8208: uc_reg_write */
    uint64_t pc;             /* 8216: the instruction's address, read before Java is called */
    uint64_t value;          /* 8224: Java's result for Xt (with write_xt) */
    uint32_t pc_reg;         /* 8232: Unicorn's register id of PC */
    uint32_t xzr_reg;        /* 8236: Unicorn's register id of XZR (Rt = 31: nothing to write) */
    uint32_t write_xt;       /* 8240: set by Java: write value to Xt */
    uint32_t advance;        /* 8244: set by Java: PC = pc + 4 (a register Unicorn does not know) */
} wl_sys_filter;

/* Unicorn UC_HOOK_INSN (MRS/MSR) callback; cp is a uc_arm64_cp_reg (crn, crm, op0, op1, op2, val). */
uint32_t wl_sys_hook(void *uc, int reg, const uint32_t *cp, void *user) {
    wl_sys_filter *f = (wl_sys_filter *) user;
    uint32_t key = ((cp[2] & 3u) << 14) | ((cp[3] & 7u) << 11) | ((cp[0] & 15u) << 7) | ((cp[1] & 15u) << 3)
            | (cp[4] & 7u);
    if (!(f->wanted[key >> 3] & (1u << (key & 7)))) {
        return 0;
    }
    f->write_xt = 0;
    f->advance = 0;
    if (f->reg_read(uc, (int) f->pc_reg, &f->pc) != 0) {
        f->pc = 0;
    }
    uint32_t r = f->java(uc, reg, cp, 0);
    if (f->write_xt && (uint32_t) reg != f->xzr_reg) {
        f->reg_write(uc, reg, &f->value);
    }
    if (f->advance) {
        uint64_t next = f->pc + 4;
        f->reg_write(uc, (int) f->pc_reg, &next); /* Unicorn resumes there (quit_request keeps this PC) */
    }
    return r;
}

/*
 * Dirty-page tracking for snapshot restores (board/RamSnapshot): guest RAM is an anonymous
 * mapping registered with userfaultfd in asynchronous write-protect mode. The kernel resolves a
 * write to a protected page itself (no handler thread, one minor fault per page and run) and
 * PAGEMAP_SCAN lists the pages written since they were protected, so a restore touches only
 * those. Catches every writer: Unicorn's TCG stores, the host's device DMA, memcpy from Java.
 * Linux 6.7+ (PAGEMAP_SCAN, UFFD_FEATURE_WP_ASYNC); older headers lack them, so they are spelt here.
 */
#ifndef UFFD_FEATURE_WP_ASYNC
#define UFFD_FEATURE_WP_ASYNC (1 << 15)
#endif
#ifndef UFFD_USER_MODE_ONLY
#define UFFD_USER_MODE_ONLY 1
#endif
#define WL_PAGE_IS_WRITTEN (1 << 1)
#define WL_PM_SCAN_WP_MATCHING (1 << 0)
#define WL_PM_SCAN_CHECK_WPASYNC (1 << 1)

struct wl_page_region { uint64_t start, end, categories; };
struct wl_pm_scan_arg {
    uint64_t size, flags, start, end, walk_end, vec, vec_len, max_pages;
    uint64_t category_inverted, category_mask, category_anyof_mask, return_mask;
};
#define WL_PAGEMAP_SCAN _IOWR('f', 16, struct wl_pm_scan_arg)
#define WL_VEC 256
#define WL_PAGE 4096u
/* Restores by path: the hull scan, then the reasons for scanning all of RAM instead. */
enum { WL_HULL, WL_FULL_NO_HULL, WL_FULL_OTHER_THREAD, WL_FULL_SURPLUS_FAULTS, WL_FULL_HULL_FRAGMENTED, WL_STATS };

typedef struct wl_dirty {
    int uffd;
    int pagemap;
    uint8_t *base;
    uint64_t len;
    uint64_t hull_lo, hull_hi;  /* span of every page ever seen written (empty at first) */
    int64_t faults;             /* the baseline thread's page faults when the baseline was set */
    pid_t tid;                  /* the thread that set the baseline */
    int64_t stats[WL_STATS];    /* restores by path, see wl_dirty_stats */
    struct wl_page_region vec[WL_VEC];
} wl_dirty;

/* This thread's page faults: the JVM's other threads (GC, compilers) fault too, and counting theirs
 * made nearly every restore fall back to the full scan. */
static int64_t wl_faults(void) {
    struct rusage r;
    return getrusage(RUSAGE_THREAD, &r) ? -1 : (int64_t) (r.ru_minflt + r.ru_majflt);
}

/* The calling thread's id, asked of the kernel once per thread. */
static pid_t wl_tid(void) {
    static __thread pid_t tid;
    if (tid == 0) {
        tid = (pid_t) syscall(SYS_gettid);
    }
    return tid;
}

/* Sets the baseline: this thread's fault count from now on (faults: its count now, or -1 to ask). */
static void wl_baseline(wl_dirty *d, int64_t faults) {
    d->faults = faults >= 0 ? faults : wl_faults();
    d->tid = wl_tid();
}

/* Starts tracking [base, base + len) (page-aligned); NULL with *err = errno when the kernel cannot. */
wl_dirty *wl_dirty_open(void *base, uint64_t len, int32_t *err) {
    wl_dirty *d = calloc(1, sizeof *d);
    if (!d) {
        *err = ENOMEM;
        return NULL;
    }
    d->base = base;
    d->len = len;
    d->pagemap = -1;
    d->faults = -1;
    d->uffd = (int) syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
    struct uffdio_api api = {.api = UFFD_API, .features = UFFD_FEATURE_WP_ASYNC};
    struct uffdio_register reg = {.range = {(uint64_t) base, len}, .mode = UFFDIO_REGISTER_MODE_WP};
    struct uffdio_writeprotect wp = {.range = {(uint64_t) base, len}, .mode = UFFDIO_WRITEPROTECT_MODE_WP};
    /* Huge pages would make every dirtied 4 KiB page a 2 MiB restore. */
    if (d->uffd < 0 || ioctl(d->uffd, UFFDIO_API, &api) || ioctl(d->uffd, UFFDIO_REGISTER, &reg)
            || madvise(base, len, MADV_NOHUGEPAGE)
            || (d->pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC)) < 0
            || ioctl(d->uffd, UFFDIO_WRITEPROTECT, &wp)) {
        *err = errno ? errno : EINVAL;
        if (d->pagemap >= 0) close(d->pagemap);
        if (d->uffd >= 0) close(d->uffd);
        free(d);
        return NULL;
    }
    return d;
}

void wl_dirty_close(wl_dirty *d) {
    if (d) {
        close(d->pagemap);
        close(d->uffd); /* unregisters: the mapping behaves as plain memory again */
        free(d);
    }
}

/* One PAGEMAP_SCAN of [*from, end): written pages into d->vec; returns the regions found or -errno. */
static long wl_scan(wl_dirty *d, uint64_t *from, uint64_t end, uint64_t flags) {
    struct wl_pm_scan_arg a = {
        .size = sizeof a, .flags = flags | WL_PM_SCAN_CHECK_WPASYNC, .start = *from, .end = end,
        .vec = (uint64_t) d->vec, .vec_len = WL_VEC,
        .category_mask = WL_PAGE_IS_WRITTEN, .return_mask = WL_PAGE_IS_WRITTEN,
    };
    long n = ioctl(d->pagemap, WL_PAGEMAP_SCAN, &a);
    if (n < 0) {
        return -errno;
    }
    *from = a.walk_end;
    return n;
}

static int64_t wl_pages(const wl_dirty *d, long n) {
    int64_t pages = 0;
    for (long i = 0; i < n; i++) {
        pages += (d->vec[i].end - d->vec[i].start) / WL_PAGE;
    }
    return pages;
}

static void wl_grow_hull(wl_dirty *d, long n) {
    if (n > 0) {
        if (d->hull_hi == d->hull_lo || d->vec[0].start < d->hull_lo) d->hull_lo = d->vec[0].start;
        if (d->vec[n - 1].end > d->hull_hi) d->hull_hi = d->vec[n - 1].end;
    }
}

/* Write-protects the written pages in [from, end); returns how many or -errno. */
static int64_t wl_protect(wl_dirty *d, uint64_t from, uint64_t end) {
    int64_t pages = 0;
    while (from < end) {
        long n = wl_scan(d, &from, end, WL_PM_SCAN_WP_MATCHING);
        if (n < 0) {
            return n;
        }
        wl_grow_hull(d, n);
        pages += wl_pages(d, n);
    }
    return pages;
}

/* RAM is the baseline now (a snapshot was taken, or restored the slow way): protects what was written. */
int64_t wl_dirty_mark_clean(wl_dirty *d) {
    int64_t pages = wl_protect(d, (uint64_t) d->base, (uint64_t) d->base + d->len);
    wl_baseline(d, -1);
    return pages;
}

/*
 * Puts back the pages of d->vec[0..n): from saved + slot[p] * 4096, or zeros when slot[p] < 0.
 * Sets *hit when one of them is marked in watch (the snapshot's page-table pages).
 */
static void wl_put_back(wl_dirty *d, long n, const uint8_t *saved, const int32_t *slot, const uint8_t *watch,
                        int32_t *hit) {
    /* The run evicted the saved copies from the caches: start every page's first miss (and its TLB
     * walk) before copying, so they overlap instead of each copy waiting for its own (~20% of the
     * copying after an execution, measured with cold caches). */
    for (long i = 0; i < n; i++) {
        for (uint64_t a = d->vec[i].start; a < d->vec[i].end; a += WL_PAGE) {
            int32_t k = slot[(a - (uint64_t) d->base) / WL_PAGE];
            if (k >= 0) {
                __builtin_prefetch(saved + (uint64_t) k * WL_PAGE, 0, 0);
            }
            __builtin_prefetch((const void *) a, 1, 0);
        }
    }
    for (long i = 0; i < n; i++) {
        for (uint64_t a = d->vec[i].start; a < d->vec[i].end; a += WL_PAGE) {
            uint64_t p = (a - (uint64_t) d->base) / WL_PAGE;
            if (watch[p]) {
                *hit = 1;
            }
            if (slot[p] >= 0) {
                memcpy((void *) a, saved + (uint64_t) slot[p] * WL_PAGE, WL_PAGE);
            } else {
                memset((void *) a, 0, WL_PAGE);
            }
        }
    }
}

/*
 * Puts back every page written since the baseline: page p from saved + slot[p] * 4096 when
 * slot[p] >= 0, zeros otherwise (it was not resident at the baseline); then protects them again.
 * *hit tells whether any of them is marked in watch (one byte per page: the snapshot's page
 * tables, so the caller knows whether the TLB may be kept). Returns the pages put back, or
 * -errno (the caller then restores the slow way).
 *
 * Scanning all of RAM costs ~0.5 us per MiB, so it first scans only the hull of pages ever
 * written. That is exact when this thread took exactly one page fault per written page found
 * there since the baseline, which this thread set: every write to a protected or absent page
 * faults on the writing thread, so a write outside the hull (or any other fault of this thread,
 * its Java allocations included) shows as a surplus fault, and then the whole of RAM is
 * scanned. Guest RAM is written only by the thread running the board (guest stores, device
 * DMA, restores: a board is never used by two threads at once); a restore on another thread
 * than the baseline's scans all of RAM. Never a missed page, sometimes a needless full scan.
 */
int64_t wl_dirty_restore(wl_dirty *d, const uint8_t *saved, const int32_t *slot, const uint8_t *watch,
                         int32_t *hit) {
    uint64_t lo = (uint64_t) d->base, hi = lo + d->len;
    *hit = 0;
    int64_t faults = wl_faults();
    int why = d->faults < 0 || faults < 0 || d->hull_hi <= d->hull_lo ? WL_FULL_NO_HULL
            : wl_tid() != d->tid ? WL_FULL_OTHER_THREAD : WL_HULL;
    if (why == WL_HULL) {
        uint64_t from = d->hull_lo;
        long n = wl_scan(d, &from, d->hull_hi, 0);
        if (n < 0) {
            return n;
        }
        int64_t pages = wl_pages(d, n);
        why = from < d->hull_hi ? WL_FULL_HULL_FRAGMENTED : pages != faults - d->faults ? WL_FULL_SURPLUS_FAULTS : WL_HULL;
        if (why == WL_HULL) {
            wl_put_back(d, n, saved, slot, watch, hit);
            int64_t p = n > 0 ? wl_protect(d, d->vec[0].start, d->vec[n - 1].end) : 0;
            if (p < 0) {
                return p;
            }
            /* Putting back and protecting pages that were written (so present and writable) takes no
             * fault: the count read above is this thread's count now, and one getrusage less. */
            wl_baseline(d, faults);
            d->stats[WL_HULL]++;
            return pages;
        }
    }
    d->stats[why]++;
    int64_t pages = 0;
    for (uint64_t from = lo; from < hi;) {
        long n = wl_scan(d, &from, hi, 0);
        if (n < 0) {
            return n;
        }
        wl_put_back(d, n, saved, slot, watch, hit);
        int64_t p = n > 0 ? wl_protect(d, d->vec[0].start, d->vec[n - 1].end) : 0;
        if (p < 0) {
            return p;
        }
        pages += p;
    }
    wl_baseline(d, -1);
    return pages;
}

/*
 * Restores so far by path into out[0..5): the hull scan; then all of RAM scanned because there was
 * no hull or baseline yet, because another thread restored, because this thread took more faults
 * than written pages in the hull (a write outside it, or a fault that was no write: a read of a
 * fresh page, the JVM's or Unicorn's own memory), or because the hull held more written regions
 * than one scan returns.
 */
void wl_dirty_stats(const wl_dirty *d, int64_t *out) {
    for (int i = 0; i < WL_STATS; i++) {
        out[i] = d->stats[i];
    }
}

/* The ABI version Java checks before trusting the layouts above. */
uint32_t wl_hooks_version(void) {
    return 6;
}
