package dev.wirelab.emulator.boot;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Bad input is normal: truncated and bit-flipped images give BadImageException or a valid plan, nothing else. */
class MalformedImageTest {
    private static final MemoryLayout LAYOUT = MemoryLayout.virt(128L << 20);
    private static final byte[] DTB = new byte[256];

    private static void survive(byte[] bytes, BootImages.Format format) {
        try {
            BootImage img = BootImages.parse("fuzz", bytes, format);
            LoadPlanner.plan(img, LAYOUT, DTB);
            if (img instanceof ElfImage elf) {
                elf.symbols().describe(elf.entry());
            }
        } catch (BadImageException e) {
            String m = e.getMessage();
            assertNotNull(m);
            assertFalse(m.contains("\n"), "one-line message: " + m);
            assertTrue(m.startsWith("fuzz"), "names the file: " + m);
        }
    }

    private static void truncateEverywhere(byte[] valid, BootImages.Format format) {
        for (int len = 0; len <= valid.length; len++) {
            byte[] cut = new byte[len];
            System.arraycopy(valid, 0, cut, 0, len);
            survive(cut, format);
        }
    }

    private static void flipBytes(byte[] valid, BootImages.Format format, long seed, int rounds) {
        Random r = new Random(seed);
        for (int i = 0; i < rounds; i++) {
            byte[] b = valid.clone();
            int flips = 1 + r.nextInt(4);
            for (int k = 0; k < flips; k++) {
                int at = r.nextInt(b.length);
                b[at] = r.nextBoolean() ? (byte) r.nextInt(256) : (byte) (b[at] ^ (1 << r.nextInt(8)));
            }
            survive(b, format);
        }
    }

    @Test
    void elfTruncatedAtEveryLength() {
        byte[] elf = BootImagesTest.simpleElf();
        truncateEverywhere(elf, BootImages.Format.AUTO);
        truncateEverywhere(elf, BootImages.Format.ELF);
    }

    @Test
    void elfWithFlippedBytes() {
        byte[] elf = BootImagesTest.simpleElf();
        flipBytes(elf, BootImages.Format.AUTO, 1, 20_000);
        // Header fields only, where most of the validation lives.
        Random r = new Random(2);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = elf.clone();
            b[r.nextInt(64 + 2 * 56)] = (byte) r.nextInt(256);
            survive(b, BootImages.Format.AUTO);
        }
    }

    @Test
    void imageTruncatedAndFlipped() {
        byte[] img = ElfWriter.linuxImage(0x80000, 0x10000, 0xa, 64);
        truncateEverywhere(img, BootImages.Format.AUTO);
        truncateEverywhere(img, BootImages.Format.IMAGE);
        flipBytes(img, BootImages.Format.IMAGE, 3, 20_000);
    }

    @Test
    void rawAndGzipGarbage() {
        Random r = new Random(4);
        for (int i = 0; i < 2_000; i++) {
            byte[] b = new byte[r.nextInt(200)];
            r.nextBytes(b);
            if (b.length > 2 && r.nextBoolean()) {
                b[0] = 0x1f;
                b[1] = (byte) 0x8b;
            }
            survive(b, BootImages.Format.AUTO);
        }
    }
}
