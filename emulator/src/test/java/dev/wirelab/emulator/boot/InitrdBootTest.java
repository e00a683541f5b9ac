package dev.wirelab.emulator.boot;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.difftest.BootKind;
import dev.wirelab.emulator.difftest.GuestCase;
import dev.wirelab.emulator.difftest.GuestImages;
import dev.wirelab.emulator.difftest.QemuRunner;
import dev.wirelab.emulator.difftest.Transcript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * -kernel Image -initrd FILE -append ARGS as QEMU does it (the initrd test guest prints /chosen,
 * the initrd's place, size, first line and hash), and the console panic watch.
 */
class InitrdBootTest {
    private static final String ARGS = "console=ttyAMA0 rdinit=/init";
    private static final GuestCase INITRD = new GuestCase("initrd", "/guest/tests/initrd.img", BootKind.IMAGE, 3,
            new byte[0], 0, Set.of());
    private static final GuestCase PSCI = new GuestCase("psci", "/guest/tests/psci.elf", BootKind.ELF, 3,
            new byte[0], 0, Set.of());

    private static Path initrd(Path dir, int lines) throws Exception {
        StringBuilder s = new StringBuilder("hello from the initrd\n");
        for (int i = 0; i < lines; i++) {
            s.append(i).append('\n');
        }
        Path p = dir.resolve("initrd.dat");
        Files.writeString(p, s, StandardCharsets.US_ASCII);
        return p;
    }

    private static String boot(BoardConfig config, GuestCase c) throws Exception {
        try (Board board = Board.create(config)) {
            board.load(BootImages.load(GuestImages.file(c)));
            Stop s = board.run(100_000_000L);
            assertTrue(s.is(StopCause.GUEST_EXIT), s + "\n" + board.console().text());
            return board.console().text();
        }
    }

    @Test
    void initrdAndAppendAsQemuPlacesThem(@TempDir Path dir) throws Exception {
        Path rd = initrd(dir, 40_000);
        String ours = boot(BoardConfig.defaults().withInitrd(rd).withBootArgs(ARGS), INITRD);
        assertTrue(ours.contains("initrd.first_line=hello from the initrd"), ours);
        assertTrue(ours.contains("chosen.linux,initrd-start (1 cell)=0x44000000"), "RAM/2 above the base: " + ours);
        assertTrue(ours.contains("chosen.bootargs=" + ARGS), ours);
        assertTrue(ours.contains("initrd.dtb_after=1"), ours);

        QemuRunner qemu = new QemuRunner();
        assumeTrue(qemu.available(), "qemu-system-aarch64 is not installed: the QEMU half is skipped");
        Transcript q = qemu.withArgs("-initrd", rd.toString(), "-append", ARGS).run(INITRD, GuestImages.file(INITRD),
                new byte[0]);
        assertEquals(q.text(), ours);
    }

    @Test
    void withoutInitrdChosenHasNone() throws Exception {
        String ours = boot(BoardConfig.defaults(), INITRD);
        assertTrue(ours.contains("initrd: none"), ours);
        assertTrue(ours.contains("x0=0x44000000"), "DTB where it was before initrds existed: " + ours);
    }

    @Test
    void initrdOnlyWithALinuxImageAndOnlyIfItFits(@TempDir Path dir) throws Exception {
        Path rd = initrd(dir, 10);
        try (Board board = Board.create(BoardConfig.defaults().withInitrd(rd))) {
            var e = assertThrows(BadImageException.class, () -> board.load(BootImages.load(GuestImages.file(PSCI))));
            assertTrue(e.getMessage().contains("an initrd goes with a Linux kernel"), e.getMessage());
        }
        Path big = dir.resolve("big.dat");
        Files.write(big, new byte[9 << 20]);
        try (Board board = Board.create(BoardConfig.defaults().withRamSize(16L << 20).withInitrd(big))) {
            var e = assertThrows(BadImageException.class, () -> board.load(BootImages.load(GuestImages.file(INITRD))));
            assertTrue(e.getMessage().contains("does not fit in RAM after the kernel") && e.getMessage().contains("--ram"),
                    e.getMessage());
        }
        try (Board board = Board.create(BoardConfig.defaults().withInitrd(dir.resolve("missing")))) {
            var e = assertThrows(IllegalArgumentException.class,
                    () -> board.load(BootImages.load(GuestImages.file(INITRD))));
            assertTrue(e.getMessage().startsWith("cannot read initrd"), e.getMessage());
        }
    }

    @Test
    void aConsolePanicLineEndsTheRunWhateverTheGuestDoesNext() throws Exception {
        try (Board board = Board.create(BoardConfig.defaults())) {
            board.load(BootImages.load(GuestImages.file(PSCI)));
            assertEquals(Board.LINUX_PANIC, board.consolePanic());
            board.consolePanic(Pattern.compile("PSCI_VERSION"));
            var snap = board.snapshot();
            Stop s = board.run(100_000_000L);
            assertEquals(StopCause.GUEST_PANIC, s.cause(), s.toString());
            assertTrue(s.detail().startsWith("guest panic: PSCI_VERSION"), s.detail());
            assertTrue(s.guestEnded());
            String hash = board.trace().hex();
            Stop again = board.run(1000);
            assertEquals(StopCause.GUEST_PANIC, again.cause(), "an ended guest stays ended");

            board.restore(snap);
            board.consolePanic(null);
            Stop exit = board.run(100_000_000L);
            assertEquals(StopCause.GUEST_EXIT, exit.cause(), exit.toString());
            assertTrue(board.trace().hex().length() > 0 && !board.trace().hex().equals(hash));
        }
    }
}
