package dev.wirelab.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** {@code --input}: literal text with a few escapes, or {@code @FILE} for a file's bytes. */
final class ConsoleInput {
    private ConsoleInput() { }

    static byte[] parse(String spec) {
        if (spec == null || spec.isEmpty()) {
            return new byte[0];
        }
        if (spec.startsWith("@")) {
            Path file = Path.of(spec.substring(1));
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                throw new UserError("--input " + spec + ": no such file: check the path (a leading @ names a file)", e);
            } catch (IOException e) {
                throw new UserError("--input " + spec + ": cannot read (" + e.getMessage() + ")", e);
            }
        }
        return unescape(spec);
    }

    /** {@code \n \r \t \\ \xNN}; any other character stands for itself (UTF-8). */
    static byte[] unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            if (c != '\\' || i == s.length()) {
                out.writeBytes(Character.toString(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> out.write('\n');
                case 'r' -> out.write('\r');
                case 't' -> out.write('\t');
                case '\\' -> out.write('\\');
                case 'x' -> {
                    if (i + 2 > s.length() || Character.digit(s.charAt(i), 16) < 0 || Character.digit(s.charAt(i + 1), 16) < 0) {
                        throw new UserError("--input: \\x needs two hex digits, as in \\x0a");
                    }
                    out.write(Integer.parseInt(s.substring(i, i + 2), 16));
                    i += 2;
                }
                default -> {
                    out.write('\\');
                    i--; // not an escape: keep the character after the backslash as it is
                }
            }
        }
        return out.toByteArray();
    }
}
