#!/usr/bin/env python3
"""Counts the instructions a firmware test guest (a flash .bin, started at 0
with the MMU off) retires from its first instruction to its first semihosting
`hlt #0xf000`, inclusive, by single-instruction code hooks in Unicorn.
Used to check the counts documented in bench_compute.S / bench_store.S on
small iteration counts (the counts are linear in the iteration count).
The PL011 and the rest of the I/O space are plain RAM here: the guests only
write the UART data register.

    count_insns.py LIBUNICORN_SO IMAGE.bin
"""
import ctypes
import sys

UC_ARCH_ARM64, UC_MODE_ARM = 2, 0
UC_HOOK_CODE = 4
UC_ARM64_REG_PC = 260
HLT_SEMIHOST = 0xD45E0000

def main():
    uc_lib = ctypes.CDLL(sys.argv[1])
    image = open(sys.argv[2], "rb").read()
    uc = ctypes.c_void_p()
    check(uc_lib.uc_open(UC_ARCH_ARM64, UC_MODE_ARM, ctypes.byref(uc)))
    for base, size in ((0, 64 << 20), (0x0800_0000, 0x0400_0000), (0x4000_0000, 128 << 20)):
        check(uc_lib.uc_mem_map(uc, ctypes.c_uint64(base), ctypes.c_size_t(size), 7))
    check(uc_lib.uc_mem_write(uc, ctypes.c_uint64(0), image, ctypes.c_size_t(len(image))))
    count = [0]
    word = ctypes.c_uint32()
    HOOK = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_uint64, ctypes.c_uint32, ctypes.c_void_p)

    def on_code(handle, address, size, user):
        count[0] += 1
        uc_lib.uc_mem_read(ctypes.c_void_p(handle), ctypes.c_uint64(address), ctypes.byref(word), ctypes.c_size_t(4))
        if word.value == HLT_SEMIHOST:
            uc_lib.uc_emu_stop(ctypes.c_void_p(handle))

    callback = HOOK(on_code)
    hook = ctypes.c_size_t()
    uc_lib.uc_hook_add.argtypes = None
    check(uc_lib.uc_hook_add(uc, ctypes.byref(hook), UC_HOOK_CODE, callback, None,
                             ctypes.c_uint64(1), ctypes.c_uint64(0)))
    check(uc_lib.uc_emu_start(uc, ctypes.c_uint64(0), ctypes.c_uint64(1 << 62), ctypes.c_uint64(0), ctypes.c_size_t(0)))
    pc = ctypes.c_uint64()
    uc_lib.uc_reg_read(uc, UC_ARM64_REG_PC, ctypes.byref(pc))
    print("%d instructions, stopped at pc=0x%x" % (count[0], pc.value))

def check(err):
    if err != 0:
        raise SystemExit("unicorn error %d" % err)

if __name__ == "__main__":
    main()
