package dev.wirelab.emulator.board;

import dev.wirelab.emulator.TestImages;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Test helpers: hand-assembled code, test-guest resources, and a minimal ELF PT_LOAD loader. */
final class TestCode {
    private TestCode() { }

    static final long RAM = VirtMemoryMap.RAM_BASE;
    /** A board small enough to create per test: 16 MiB of RAM. */
    static final BoardConfig SMALL_BOARD = BoardConfig.defaults().withRamSize(16L << 20);

    static byte[] words(int... insns) {
        ByteBuffer b = ByteBuffer.allocate(insns.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i : insns) {
            b.putInt(i);
        }
        return b.array();
    }

    /** Loads code at the start of RAM and points the CPU at it. */
    static void boot(Board board, int... insns) {
        board.loadBytes(RAM, words(insns));
        board.resetCpu(RAM, 0);
    }

    static byte[] resource(String path) {
        return TestImages.resource(path);
    }

    /** Loads an ELF64's PT_LOAD segments by physical address; returns the entry point. */
    static long loadElf(Board board, byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = b.getShort(54) & 0xffff;
        int phnum = b.getShort(56) & 0xffff;
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (b.getInt(ph) != 1) {
                continue;
            }
            long off = b.getLong(ph + 8);
            long paddr = b.getLong(ph + 24);
            long filesz = b.getLong(ph + 32);
            byte[] data = new byte[(int) filesz];
            System.arraycopy(elf, (int) off, data, 0, data.length);
            board.loadBytes(paddr, data);
        }
        return entry;
    }
}
