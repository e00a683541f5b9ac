package dev.wirelab.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsoleInputTest {
    @Test
    void escapesBecomeBytes() {
        assertArrayEquals(new byte[] {'a', '\n', '\r', '\t', '\\', 0x01, (byte) 0xff},
                ConsoleInput.unescape("a\\n\\r\\t\\\\\\x01\\xff"));
    }

    @Test
    void unknownEscapesAndTrailingBackslashStayAsTyped() {
        assertArrayEquals("\\q\\".getBytes(StandardCharsets.US_ASCII), ConsoleInput.unescape("\\q\\"));
    }

    @Test
    void textIsUtf8() {
        assertArrayEquals("é😀".getBytes(StandardCharsets.UTF_8), ConsoleInput.unescape("é😀"));
    }

    @Test
    void shortHexEscapeIsRefused() {
        assertThrows(UserError.class, () -> ConsoleInput.unescape("\\x4"));
    }

    @Test
    void nothingQueuedWithoutTheFlag() {
        assertArrayEquals(new byte[0], ConsoleInput.parse(null));
    }
}
