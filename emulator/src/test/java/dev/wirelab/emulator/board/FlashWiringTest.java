package dev.wirelab.emulator.board;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The host's view of a flash bank while the guest has it in command mode (a device window). */
class FlashWiringTest {
    private static final int MOVZ_X0_0x400_LSL16 = 0xd2a08000; // movz x0, #0x400, lsl #16 (bank 1)
    private static final int MOV_W1_0x98 = 0x52801301;         // mov w1, #0x98 (CFI query)
    private static final int STR_W1_X0 = 0xb9000001;           // str w1, [x0]
    private static final int LDR_W2_X0_0x40 = 0xb9404002;      // ldr w2, [x0, #0x40] ('Q' in query mode)
    private static final int B_SELF = 0x14000000;

    @Test
    void hostReadsAndWritesGoToTheArrayNotTheCommandDecoder() {
        try (Board b = Board.create(BoardConfig.defaults().withRamSize(16L << 20))) {
            TestCode.boot(b, MOVZ_X0_0x400_LSL16, MOV_W1_0x98, STR_W1_X0, LDR_W2_X0_0x40, B_SELF);
            b.run(10);
            assertEquals(0x510051, b.x(2), "the guest reads the query table");
            assertArrayEquals(new byte[4], b.readPhysical(0x0400_0040L, 4), "the host reads the array");
            b.writePhysical(0x0400_0000L, new byte[] {(byte) 0xff, 0, 0, 0}); // would be 'read array' as a command
            b.setReg(dev.wirelab.emulator.cpu.Reg.PC, TestCode.RAM + 12);  // ldr again
            b.run(1);
            assertEquals(0x510051, b.x(2), "still in query mode: the host write was data, not a command");
        }
    }
}
