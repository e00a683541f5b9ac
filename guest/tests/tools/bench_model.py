#!/usr/bin/env python3
"""Reference model of the bench guests: the checksum bench_compute must reach
and the exact instruction counts of both guests (from _start to the exit hlt,
inclusive), as functions of their iteration counts. Usage:
    bench_model.py [compute_iters] [store_passes]"""
import sys

M = (1 << 64) - 1

def ror(v, n):
    return ((v >> n) | (v << (64 - n))) & M

def compute_checksum(iters):
    x2, x3, x4, x5 = 1, 0, 0, 0
    for _ in range(iters):
        x3 = (x3 + x2) & M
        x2 = x2 ^ ror(x3, 17)
        x4 = (x4 + (x3 << 3)) & M
        x5 = (x5 - (x4 >> 5)) & M
        x3 = x3 ^ x5
        x2 = (x2 + 0x9b) & M
        x4 = x4 ^ ror(x2, 29)
        x5 = (x5 + x3) & M
    return (x2 ^ x3 ^ x4 ^ x5) & M

LINE_COMPUTE = "bench_compute: done\n"
LINE_STORE = "bench_store: done\n"

def print_cost(line):
    # per char: ldrb, cbz, str, b; then the terminating ldrb, cbz
    return 4 * len(line) + 2

def compute_count(iters):
    # prologue: ldr x1 (iterations), mov x2, mov x3, mov x4, mov x5, ldr x19 (UART), = 6
    # loop: 10 per iteration
    # check: eor, eor, eor, ldr expected, cmp, b.ne = 6; adr msg = 1
    # print; exit: adr x1, mov w0, hlt = 3
    return 6 + 10 * iters + 6 + 1 + print_cost(LINE_COMPUTE) + 3

STORE_WORDS = 64 * 1024 // 64  # inner iterations per pass (64 bytes each)

def store_count(passes):
    # prologue: ldr x1 (passes), ldr x20 (buffer), mov x2, ldr x19 (UART) = 4
    # per pass: mov x0, mov x4 = 2; inner 8 per iteration; subs, b.ne = 2
    # check: ldp, ldr expected, cmp, b.ne, cmp, b.ne = 6 ... see bench_store.S
    # adr msg = 1; print; exit 3
    return 4 + passes * (2 + 8 * STORE_WORDS + 2) + 6 + 1 + print_cost(LINE_STORE) + 3

if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    ci = int(args[0]) if len(args) > 0 else 150_000_000
    sp = int(args[1]) if len(args) > 1 else 0
    if ci <= 1_000_000 or "--checksum" in sys.argv:
        print("compute checksum(%d) = 0x%016x" % (ci, compute_checksum(ci)))
    print("compute count(%d) = %d" % (ci, compute_count(ci)))
    if sp:
        print("store count(%d) = %d" % (sp, store_count(sp)))
