package dev.wirelab.emulator.device;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.Snapshot;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.difftest.BootKind;
import dev.wirelab.emulator.difftest.GuestCase;
import dev.wirelab.emulator.difftest.GuestImages;
import dev.wirelab.emulator.difftest.QemuRunner;
import dev.wirelab.emulator.difftest.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The CFI flash banks with images behind them: read-only images against QEMU's readonly pflash
 * drive, writable images written through, snapshots that put flash contents back. The plain
 * (no image) behaviour is checked against QEMU by the difftest cases {@code flash} and {@code flash_fw}.
 */
class CfiFlashTest {
    private static final long BANK1 = 0x0400_0000L;
    private static final long SECTOR1 = 256 << 10;
    private static final GuestCase FW = new GuestCase("flash_fw", "/guest/tests/flash.bin", BootKind.FIRMWARE, 3,
            new byte[0], 0, Set.of());

    private static Path image(Path dir, String name, long size) throws Exception {
        Path p = dir.resolve(name);
        byte[] data = new byte[(int) size];
        System.arraycopy("HELLO".getBytes(StandardCharsets.US_ASCII), 0, data, 0, 5);
        Files.write(p, data);
        return p;
    }

    private record Run(String console, Stop stop, String traceHash) { }

    private static Run run(BoardConfig.FlashImages images) throws Exception {
        try (Board board = Board.create(BoardConfig.defaults().withFlash(images))) {
            board.load(BootImages.load(GuestImages.file(FW)));
            Stop s = board.run(200_000_000L);
            return new Run(board.console().text(), s, board.trace().hex());
        }
    }

    private static int word(byte[] data, long offset) {
        return ByteBuffer.wrap(data, (int) offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void readOnlyImageFailsProgramsAsQemusReadonlyDrive(@TempDir Path dir) throws Exception {
        Path f1 = image(dir, "f1.img", CfiFlash.BANK_SIZE);
        byte[] before = Files.readAllBytes(f1);
        Run ours = run(new BoardConfig.FlashImages(null, f1, false));
        assertTrue(ours.stop().is(StopCause.GUEST_EXIT), ours.stop().toString());
        assertTrue(ours.console().contains("bank1 array=0x4c4c4548"), ours.console());
        assertTrue(ours.console().contains("program status=0x00b000b0"), ours.console());
        assertArrayEquals(before, Files.readAllBytes(f1), "a read-only image is never written");

        QemuRunner qemu = new QemuRunner();
        assumeTrue(qemu.available(), "qemu-system-aarch64 is not installed: the QEMU half is skipped");
        Transcript q = qemu.withArgs("-drive", "if=pflash,unit=1,format=raw,readonly=on,file=" + f1)
                .run(FW, GuestImages.file(FW), new byte[0]);
        assertEquals(q.text(), ours.console());
    }

    @Test
    void writableImageKeepsWhatTheGuestProgrammed(@TempDir Path dir) throws Exception {
        Path f1 = image(dir, "f1.img", CfiFlash.BANK_SIZE);
        Run r = run(new BoardConfig.FlashImages(null, f1, true));
        assertTrue(r.stop().is(StopCause.GUEST_EXIT), r.stop().toString());
        byte[] after = Files.readAllBytes(f1);
        assertEquals(0x12345678, word(after, SECTOR1 + 8), "word program");
        assertEquals(0xabcdffff, word(after, SECTOR1 + 0x10), "half-word program");
        for (int i = 0; i < 4; i++) {
            assertEquals(0xc0de0000 | i, word(after, SECTOR1 + 0x40 + 4 * i), "buffered word " + i);
        }
        assertEquals(-1, word(after, SECTOR1 + 0x100), "erased");
        assertEquals(0x4c4c4548, word(after, 0), "sector 0 untouched");

        // The next boot sees what the last one saved (firmware keeping its environment in flash).
        Run again = run(new BoardConfig.FlashImages(null, f1, true));
        assertTrue(again.console().contains("bank1 array=0x4c4c4548"), again.console());
        assertEquals(r.console(), again.console());
    }

    @Test
    void snapshotRestoresFlashContentsAndTheRunRepeats() throws Exception {
        try (Board board = Board.create(BoardConfig.defaults())) {
            board.load(BootImages.load(GuestImages.file(FW)));
            Snapshot start = board.snapshot();
            Stop first = board.run(200_000_000L);
            String hash = board.trace().hex();
            String console = board.console().text();
            assertTrue(first.is(StopCause.GUEST_EXIT), first.toString());
            assertEquals(0x12345678, word(board.readPhysical(BANK1 + SECTOR1 + 8, 4), 0));
            assertTrue(board.trace().entries().stream().anyMatch(e -> e.kind() == 'W'), "flash writes are in the trace");

            board.restore(start);
            assertEquals(0, word(board.readPhysical(BANK1 + SECTOR1 + 8, 4), 0), "programmed word undone");
            assertEquals(0, word(board.readPhysical(BANK1 + SECTOR1 + 0x100, 4), 0), "erase undone");
            Stop second = board.run(200_000_000L);
            assertEquals(first.instructions(), second.instructions());
            assertEquals(hash, board.trace().hex());
            assertEquals(console, board.console().text());
        }
    }

    @Test
    void imagesThatDoNotFitAreRefusedWithTheFlag(@TempDir Path dir) throws Exception {
        Path big = image(dir, "big.img", CfiFlash.BANK_SIZE + 4096);
        var e = assertThrows(IllegalArgumentException.class,
                () -> Board.create(BoardConfig.defaults().withFlash(new BoardConfig.FlashImages(big, null, false))));
        assertTrue(e.getMessage().contains("--flash0") && e.getMessage().contains("64M"), e.getMessage());
        Path small = image(dir, "small.img", 1 << 20);
        e = assertThrows(IllegalArgumentException.class,
                () -> Board.create(BoardConfig.defaults().withFlash(new BoardConfig.FlashImages(null, small, true))));
        assertTrue(e.getMessage().contains("--flash1") && e.getMessage().contains("truncate -s 64M"), e.getMessage());
        Path missing = dir.resolve("missing.img");
        e = assertThrows(IllegalArgumentException.class,
                () -> Board.create(BoardConfig.defaults().withFlash(new BoardConfig.FlashImages(missing, null, false))));
        assertTrue(e.getMessage().contains("cannot open flash image"), e.getMessage());
        // A small read-only image is fine (like -bios): the rest of the bank reads 0.
        try (Board b = Board.create(BoardConfig.defaults().withFlash(new BoardConfig.FlashImages(small, null, false)))) {
            assertEquals(0x4c4c4548, word(b.readPhysical(0, 4), 0));
            assertFalse(b.isMemory(CfiFlash.BANK_SIZE * 2, 4));
        }
    }
}
