package dev.wirelab.emulator.unicorn;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.BoardConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The emulator module builds the native block hook with the host cc (scripts/setup installs it):
 * a build that silently fell back to Java upcalls would be several times slower, so say so here.
 * That both paths count identically is what the differential and tick tests check.
 */
class NativeHooksTest {
    @Test
    void theBuildLoadsTheNativeBlockHook() {
        assertNull(NativeHooks.unavailableReason());
        assertTrue(NativeHooks.available());
        try (Board b = Board.create(BoardConfig.defaults())) {
            assertTrue(b.nativeBlockHook(), "a board counts with the native hook when it is available");
        }
    }
}
