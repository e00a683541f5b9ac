package dev.wirelab.emulator.pkt;

import java.util.ArrayList;
import java.util.List;

/** Splits a script into tokens with their line and column (1-based), as packetdrill's lexer.l does. */
final class PktLexer {
    enum Type { INTEGER, FLOAT, HEX, WORD, STRING, BACK_QUOTED, CODE, ELLIPSIS, OPTION, IPV4, IPV6, PUNCT, EOF }

    /** {@code text}: the token's characters (a string's value unquoted); {@code offset}: where it starts. */
    record Token(Type type, String text, int line, int column, int offset) {
        boolean is(char c) {
            return type == Type.PUNCT && text.length() == 1 && text.charAt(0) == c;
        }

        boolean isWord(String w) {
            return type == Type.WORD && text.equals(w);
        }

        String describe() {
            return switch (type) {
                case EOF -> "end of file";
                case STRING -> "string \"" + text.replace("\n", "\\n") + "\"";
                case BACK_QUOTED -> "shell command";
                case CODE -> "code block";
                default -> "'" + text + "'";
            };
        }
    }

    private final String file;
    private final String src;
    private int pos;
    private int line = 1;
    private int lineStart;

    private PktLexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokens(String file, String src) {
        return new PktLexer(file, src).all();
    }

    private List<Token> all() {
        List<Token> out = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= src.length()) {
                out.add(new Token(Type.EOF, "", line, col(pos), pos));
                return out;
            }
            out.add(next());
        }
    }

    private int col(int p) {
        return p - lineStart + 1;
    }

    private void newlinesIn(int from, int to) {
        for (int i = from; i < to; i++) {
            if (src.charAt(i) == '\n') {
                line++;
                lineStart = i + 1;
            }
        }
    }

    private void skipSpaceAndComments() {
        while (pos < src.length()) {
            char c = src.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
                lineStart = pos;
            } else if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (src.startsWith("//", pos)) {
                while (pos < src.length() && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else if (src.startsWith("/*", pos)) {
                int end = src.indexOf("*/", pos + 2);
                if (end < 0) {
                    throw error(line, col(pos), "unterminated /* comment");
                }
                newlinesIn(pos, end + 2);
                pos = end + 2;
            } else {
                return;
            }
        }
    }

    private PktSyntaxError error(int l, int c, String msg) {
        return new PktSyntaxError(file, l, c, msg);
    }

    private Token next() {
        int start = pos;
        int l = line;
        int c = col(pos);
        char ch = src.charAt(pos);
        if (src.startsWith("...", pos)) {
            pos += 3;
            return new Token(Type.ELLIPSIS, "...", l, c, start);
        }
        if (src.startsWith("%{", pos)) {
            int end = src.indexOf("}%", pos + 2);
            if (end < 0) {
                throw error(l, c, "unterminated %{ code block: close it with }%");
            }
            String code = src.substring(pos + 2, end).strip();
            newlinesIn(pos, end + 2);
            pos = end + 2;
            return new Token(Type.CODE, code, l, c, start);
        }
        if (ch == '"' || ch == '`') {
            return quoted(ch, l, c, start);
        }
        if (src.startsWith("--", pos) && pos + 2 < src.length() && wordChar(src.charAt(pos + 2))) {
            while (pos < src.length() && !Character.isWhitespace(src.charAt(pos))) {
                pos++;
            }
            return new Token(Type.OPTION, src.substring(start + 2, pos), l, c, start);
        }
        String ip = address(pos);
        if (ip != null) {
            pos += ip.length();
            return new Token(ip.contains(":") ? Type.IPV6 : Type.IPV4, ip, l, c, start);
        }
        boolean minus = ch == '-' && pos + 1 < src.length() && (Character.isDigit(src.charAt(pos + 1))
                || src.charAt(pos + 1) == '.' && pos + 2 < src.length() && Character.isDigit(src.charAt(pos + 2)));
        int p = minus ? pos + 1 : pos;
        if (p < src.length() && (Character.isDigit(src.charAt(p)) || src.charAt(p) == '.'
                && p + 1 < src.length() && Character.isDigit(src.charAt(p + 1)))) {
            return number(minus, p, l, c, start);
        }
        if (wordChar(ch)) {
            while (pos < src.length() && wordChar(src.charAt(pos))) {
                pos++;
            }
            return new Token(Type.WORD, src.substring(start, pos), l, c, start);
        }
        pos++;
        return new Token(Type.PUNCT, String.valueOf(ch), l, c, start);
    }

    private Token number(boolean minus, int p, int l, int c, int start) {
        if (src.startsWith("0x", p) || src.startsWith("0X", p)) {
            int q = p + 2;
            while (q < src.length() && Character.digit(src.charAt(q), 16) >= 0) {
                q++;
            }
            if (q > p + 2 && (q >= src.length() || !wordChar(src.charAt(q)))) {
                pos = q;
                return new Token(Type.HEX, src.substring(start, q), l, c, start);
            }
        }
        int q = p;
        while (q < src.length() && Character.isDigit(src.charAt(q))) {
            q++;
        }
        // A float needs digits after its dot: "0...1" is 0, "...", 1 (a blocking call's end time).
        if (q + 1 < src.length() && src.charAt(q) == '.' && Character.isDigit(src.charAt(q + 1))) {
            q++;
            while (q < src.length() && Character.isDigit(src.charAt(q))) {
                q++;
            }
            pos = q;
            return new Token(Type.FLOAT, src.substring(start, q), l, c, start);
        }
        if (!minus && q < src.length() && wordChar(src.charAt(q))) {
            // 3a, 0e9f...: a word that starts with digits (a hex blob, a cookie)
            while (q < src.length() && wordChar(src.charAt(q))) {
                q++;
            }
            pos = q;
            return new Token(Type.WORD, src.substring(start, q), l, c, start);
        }
        pos = q;
        return new Token(Type.INTEGER, src.substring(start, q), l, c, start);
    }

    /** An IPv4 address (a.b.c.d) or a simple IPv6 one (hex groups with "::" or 7 colons) at {@code p}, or null. */
    private String address(int p) {
        int q = p;
        int dots = 0;
        while (q < src.length()) {
            int d = q;
            while (q < src.length() && Character.isDigit(src.charAt(q))) {
                q++;
            }
            if (q == d) {
                break;
            }
            if (dots < 3 && q + 1 < src.length() && src.charAt(q) == '.' && Character.isDigit(src.charAt(q + 1))) {
                dots++;
                q++;
            } else {
                break;
            }
        }
        if (dots == 3 && (q >= src.length() || !wordChar(src.charAt(q)))) {
            return src.substring(p, q);
        }
        q = p;
        int colons = 0;
        boolean doubleColon = false;
        while (q < src.length()) {
            char ch = src.charAt(q);
            if (ch == ':') {
                if (q + 1 < src.length() && src.charAt(q + 1) == ':') {
                    doubleColon = true;
                }
                colons++;
            } else if (Character.digit(ch, 16) < 0 && ch != '.') {
                break;
            }
            q++;
        }
        String s = src.substring(p, q);
        if ((doubleColon && colons >= 2 || colons == 7) && !s.endsWith(":") || s.equals("::")) {
            return s;
        }
        return null;
    }

    private Token quoted(char quote, int l, int c, int start) {
        StringBuilder sb = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= src.length()) {
                throw error(l, c, "unterminated " + (quote == '"' ? "string" : "back-quoted command") + ": add the closing " + quote);
            }
            char ch = src.charAt(pos);
            if (ch == '\\' && pos + 1 < src.length()) {
                char e = src.charAt(pos + 1);
                sb.append(switch (e) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> e;
                });
                pos += 2;
                continue;
            }
            if (ch == '\n') {
                line++;
                lineStart = pos + 1;
            }
            pos++;
            if (ch == quote) {
                break;
            }
            sb.append(ch);
        }
        return new Token(quote == '"' ? Type.STRING : Type.BACK_QUOTED, sb.toString(), l, c, start);
    }

    private static boolean wordChar(char ch) {
        return ch == '_' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9';
    }
}
