package dev.wirelab.cli;

import dev.wirelab.emulator.board.BoardConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Locale;

/** Converters for the numeric flags: counts, addresses and sizes as people type them. */
final class Numbers {
    private Numbers() { }

    /**
     * A count or address: non-negative decimal ({@code 20000000000}, {@code 20_000_000_000},
     * {@code 20,000,000,000}) or hex, any 64-bit value ({@code 0x40000000}).
     */
    static long parseUnsigned(String text, String what) {
        String t = text.trim().replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        try {
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16); // all 64 bits: high addresses are addresses
            }
            long v = Long.parseLong(t);
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is not " + what
                    + ": use a decimal number (1_000_000 is fine) or hex like 0x40000000");
        }
    }

    /** {@code --max-insns}. */
    static final class Count implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseUnsigned(value, "an instruction count");
        }
    }

    /** {@code --load-addr}. */
    static final class Address implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return parseUnsigned(value, "an address");
        }
    }

    /** {@code --ram}: 128M, 1G, 65536 (the board checks the range). */
    static final class Size implements ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            try {
                return BoardConfig.parseSize(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
