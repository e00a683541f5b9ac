package dev.wirelab.emulator.board;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The fixture of the tests that run hand-assembled code: a fresh small board per test (closed
 * after it) and the instructions they assemble, loaded with {@link TestCode#boot}.
 */
abstract class BoardFixture {
    static final int ADD_X0_1 = 0x91000400;      // add x0, x0, #1
    static final int B_MINUS_4 = 0x17ffffff;     // b .-4
    static final int B_SELF = 0x14000000;        // b .
    static final int NOP = 0xd503201f;
    static final int WFI = 0xd503207f;
    static final int MRS_X1_CNTVCT = 0xd53be041; // mrs x1, cntvct_el0
    static final int MRS_X2_CNTVCT = 0xd53be042; // mrs x2, cntvct_el0
    static final int MRS_X3_CNTFRQ = 0xd53be003; // mrs x3, cntfrq_el0
    static final int STR_W1_X2 = 0xb9000041;     // str w1, [x2]
    static final int MOVZ_X2_0x2000_LSL16 = 0xd2a40002; // movz x2, #0x2000, lsl #16

    Board board;

    @BeforeEach
    void create() {
        board = Board.create(TestCode.SMALL_BOARD);
    }

    @AfterEach
    void close() {
        board.close();
    }
}
