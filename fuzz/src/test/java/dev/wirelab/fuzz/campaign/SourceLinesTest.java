package dev.wirelab.fuzz.campaign;

import static org.junit.jupiter.api.Assertions.*;

import dev.wirelab.emulator.boot.BootImages;
import dev.wirelab.emulator.boot.ElfImage;
import dev.wirelab.emulator.boot.LineTable;
import dev.wirelab.fuzz.GuestProfile;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A block's source lines run to its first branch; images without DWARF have none and say why. */
class SourceLinesTest {
    @Test
    void branchesAndExceptionsEndABlockOtherInstructionsDoNot() {
        for (int insn : new int[] {0x14000010, 0x94000010, 0x54000081, 0xb4000060, 0x35000060, 0x36080060,
                0xb7f80060, 0xd65f03c0, 0xd61f0200, 0xd63f0200, 0xd69f03e0, 0xd4000001, 0xd4200000}) {
            assertTrue(SourceLines.endsBlock(insn), Integer.toHexString(insn));     // b bl b.ne cbz cbnz tbz tbnz ret br blr eret svc brk
        }
        for (int insn : new int[] {0xd503201f, 0x8b020020, 0xf9400000, 0xd5033fdf, 0xd53be040, 0x91000421}) {
            assertFalse(SourceLines.endsBlock(insn), Integer.toHexString(insn));    // nop add ldr isb mrs add-imm
        }
    }

    @Test
    void aBlockRunsItsFunctionsLinesUpToTheBranch() {
        ElfImage elf = (ElfImage) GuestProfile.defaultGuest().load();
        SourceLines lines = SourceLines.of(elf);
        assertTrue(lines.available(), lines.problem());
        long at = elf.symbols().address("timer_now").orElseThrow();    // isb(); return cntvct_el0; one block
        List<LineTable.SourceLine> run = new ArrayList<>();
        lines.block(at, run::add);
        assertFalse(run.isEmpty());
        assertEquals(lines.at(at).orElseThrow(), run.getFirst());
        assertTrue(run.stream().allMatch(l -> l.file().equals("gic.c") || l.file().endsWith(".h")), run.toString());
        assertEquals(run.stream().distinct().count(), lines.linesOf("timer_now"), "the block is the whole function");
        assertEquals("gic.c", lines.function(at).orElseThrow().file());
    }

    @Test
    void anImageWithoutDwarfHasNoLinesAndSaysWhy() {
        SourceLines none = SourceLines.of(BootImages.parse("raw.bin", new byte[] {0x1f, 0x20, 0x03, (byte) 0xd5}));
        assertFalse(none.available());
        assertEquals("not an ELF image", none.problem());
        List<LineTable.SourceLine> run = new ArrayList<>();
        none.block(0, run::add);
        assertTrue(run.isEmpty());
        assertEquals(0, none.linesOf("main"));
    }
}
