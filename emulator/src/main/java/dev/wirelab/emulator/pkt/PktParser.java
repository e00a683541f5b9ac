package dev.wirelab.emulator.pkt;

import dev.wirelab.emulator.pkt.PktEvent.Direction;
import dev.wirelab.emulator.pkt.PktLexer.Token;
import dev.wirelab.emulator.pkt.PktLexer.Type;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a packetdrill script into a {@link PktScript} (no I/O: text in, AST out). The grammar is
 * packetdrill's parser.y, read and rewritten: options, events ({@code time action}), TCP packets
 * with flags, {@code start:end(len)}, ack, win, urg and options, UDP/ICMP packets (kept as text),
 * syscalls with expressions, errno and note, blocking end times, shell lines and code blocks. A
 * malformed script throws {@link PktSyntaxError} naming FILE:LINE:COLUMN.
 */
public final class PktParser {
    private final String file;
    private final String src;
    private final List<Token> toks;
    private int i;

    private PktParser(String file, String src) {
        this.file = file;
        this.src = src;
        this.toks = PktLexer.tokens(file, src);
    }

    public static PktScript parse(String file, String text) {
        return new PktParser(file, text).script();
    }

    // ---- token helpers ----------------------------------------------------------------

    private Token peek() {
        return toks.get(i);
    }

    private Token peek(int ahead) {
        return toks.get(Math.min(i + ahead, toks.size() - 1));
    }

    private Token take() {
        Token t = toks.get(i);
        if (t.type() != Type.EOF) {
            i++;
        }
        return t;
    }

    private PktSyntaxError error(Token t, String msg) {
        return new PktSyntaxError(file, t.line(), t.column(), msg);
    }

    private Token expect(char c, String context) {
        Token t = take();
        if (!t.is(c)) {
            throw error(t, "expected '" + c + "' " + context + ", found " + t.describe());
        }
        return t;
    }

    private long integer(String context) {
        Token t = take();
        if (t.type() == Type.INTEGER) {
            return parseLong(t, t.text());
        }
        if (t.type() == Type.HEX) {
            return parseLong(t, t.text());
        }
        throw error(t, "expected an integer " + context + ", found " + t.describe());
    }

    private long parseLong(Token t, String s) {
        try {
            boolean neg = s.startsWith("-");
            String body = neg ? s.substring(1) : s;
            long v = body.startsWith("0x") || body.startsWith("0X") ? Long.parseUnsignedLong(body.substring(2), 16)
                    : Long.parseLong(body);
            return neg ? -v : v;
        } catch (NumberFormatException e) {
            throw error(t, "number out of range: " + s);
        }
    }

    // ---- script -------------------------------------------------------------------------

    private PktScript script() {
        List<PktScript.Option> options = new ArrayList<>();
        while (peek().type() == Type.OPTION) {
            Token t = take();
            int eq = t.text().indexOf('=');
            // --strict_segments and friends are switches: no value
            options.add(eq < 0 ? new PktScript.Option(t.text(), "", t.line())
                    : new PktScript.Option(t.text().substring(0, eq), t.text().substring(eq + 1), t.line()));
        }
        List<PktEvent> events = new ArrayList<>();
        while (peek().type() != Type.EOF) {
            events.add(event());
        }
        return new PktScript(file, options, events);
    }

    private PktEvent event() {
        Token first = peek();
        if (first.type() == Type.BACK_QUOTED) {
            take();
            return new PktEvent.Shell(first.line(), EventTime.NONE, first.text());
        }
        EventTime time = eventTime();
        Token a = peek();
        PktEvent e;
        if (a.is('<') || a.is('>')) {
            e = packet(first.line(), time);
        } else if (a.type() == Type.BACK_QUOTED) {
            take();
            e = new PktEvent.Shell(first.line(), time, a.text());
        } else if (a.type() == Type.CODE) {
            take();
            e = new PktEvent.Code(first.line(), time, a.text());
        } else if (a.type() == Type.ELLIPSIS || a.type() == Type.WORD) {
            e = syscall(first.line(), time);
        } else {
            throw error(a, "expected a packet ('<' or '>'), a syscall, a `shell command` or %{ code }% after the time, found "
                    + a.describe());
        }
        boolean outbound = e instanceof PktEvent.TcpPacket p && p.direction() == Direction.OUTBOUND
                || e instanceof PktEvent.OtherPacket o && o.direction() == Direction.OUTBOUND;
        if (time.kind() == EventTime.Kind.ANY && !outbound) {
            throw error(first, "event time * can only be used with outbound packets");
        }
        if (time.range() && !outbound) {
            throw error(first, "an event time range can only be used with outbound packets");
        }
        return e;
    }

    private EventTime eventTime() {
        Token t = peek();
        if (t.is('*')) {
            take();
            return new EventTime(EventTime.Kind.ANY, 0, 0);
        }
        boolean rel = false;
        if (t.is('+')) {
            take();
            rel = true;
        }
        long start = time();
        if (peek().is('~')) {
            take();
            if (rel) {
                expect('+', "before the end of a relative time range (+a~+b)");
            }
            long end = time();
            if (end < start) {
                throw error(t, "time range is backwards");
            }
            return new EventTime(rel ? EventTime.Kind.RELATIVE_RANGE : EventTime.Kind.ABSOLUTE_RANGE, start, end);
        }
        return new EventTime(rel ? EventTime.Kind.RELATIVE : EventTime.Kind.ABSOLUTE, start, start);
    }

    /** Seconds (integer or decimal) to microseconds. */
    private long time() {
        Token t = take();
        if (t.type() != Type.INTEGER && t.type() != Type.FLOAT) {
            throw error(t, "expected a time in seconds (0, +0.1, .5, *), found " + t.describe());
        }
        if (t.text().startsWith("-")) {
            throw error(t, "negative time");
        }
        try {
            return new BigDecimal(t.text()).movePointRight(6).longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            throw error(t, "bad time " + t.text());
        }
    }

    // ---- packets ---------------------------------------------------------------------------

    private PktEvent packet(int line, EventTime time) {
        Token arrow = take();
        Direction dir = arrow.is('<') ? Direction.INBOUND : Direction.OUTBOUND;
        String ipInfo = optIpInfo();
        Token k = peek();
        if (k.isWord("ipv4") || k.isWord("ipv6") || k.isWord("encap") || k.isWord("udp") || k.isWord("icmp")
                || k.isWord("mpls") || k.isWord("gre") || k.isWord("GREv0")) {
            return otherPacket(line, time, dir, k);
        }
        PktEvent.Ports ports = null;
        if (peek().type() == Type.INTEGER && peek(1).is('>')) {
            int src = (int) integer("(source port)");
            take();
            int dst = (int) integer("(destination port)");
            ports = new PktEvent.Ports(src, dst);
        }
        String flags = flags();
        Token seqTok = peek();
        long start = integer("(sequence start, as in 0:0(0))");
        expect(':', "in start:end(length)");
        long end = integer("(sequence end, as in 0:0(0))");
        expect('(', "in start:end(length)");
        long len = integer("(payload length)");
        expect(')', "after the payload length");
        if (end - start != len || len < 0) {
            throw error(seqTok, "inconsistent payload size: " + start + ":" + end + "(" + len + ")");
        }
        Long ack = null;
        Long win = null;
        Long urg = null;
        if (peek().isWord("ack")) {
            take();
            ack = integer("after ack");
        }
        if (peek().isWord("win")) {
            take();
            win = integer("after win");
        }
        if (peek().isWord("urg")) {
            take();
            urg = integer("after urg");
        }
        List<TcpOpt> opts = List.of();
        if (peek().is('<')) {
            Token lt = take();
            if (peek().type() == Type.ELLIPSIS) {
                take();
                expect('>', "after <...");
                if (dir == Direction.INBOUND) {
                    throw error(lt, "<...> for TCP options can only be used with outbound packets");
                }
                opts = null;
            } else {
                opts = tcpOptions();
            }
        }
        return new PktEvent.TcpPacket(line, time, dir, flags, start, end, (int) len, ack, win, urg, opts, ports, ipInfo);
    }

    /** {@code (tos 0x10)}, {@code [ect0]}, {@code (ttl 64)}: kept as text. */
    private String optIpInfo() {
        Token t = peek();
        if (!(t.is('(') || t.is('['))) {
            return null;
        }
        // "[" could only start ip info here: packets never start with a list.
        char close = t.is('(') ? ')' : ']';
        take();
        int from = peek().offset();
        while (!peek().is(close)) {
            if (peek().type() == Type.EOF) {
                throw error(t, "unclosed " + t.text() + " in the packet's IP info");
            }
            take();
        }
        int to = peek().offset();
        take();
        return src.substring(from, to).strip();
    }

    private PktEvent otherPacket(int line, EventTime time, Direction dir, Token k) {
        int from = k.offset();
        int startLine = k.line();
        // Everything up to the next event: the rest of this line and continuation lines that do not start one.
        while (peek().type() != Type.EOF && (peek().line() == startLine || !startsEvent(peek()))) {
            take();
        }
        int to = peek().type() == Type.EOF ? src.length() : peek().offset();
        return new PktEvent.OtherPacket(line, time, dir, k.text(), src.substring(from, to).strip());
    }

    private static boolean startsEvent(Token t) {
        return t.is('+') || t.is('*') || t.type() == Type.INTEGER || t.type() == Type.FLOAT
                || t.type() == Type.BACK_QUOTED;
    }

    private String flags() {
        Token t = peek();
        if (t.is('.')) {
            take();
            return ".";
        }
        if (t.is('-')) {
            take();
            return "";
        }
        if (t.type() == Type.WORD) {
            take();
            String f = t.text();
            if (peek().is('.')) {
                take();
                f += ".";
            }
            for (char c : f.toCharArray()) {
                if ("FSRPUEWA.".indexOf(c) < 0) {
                    throw error(t, "unknown TCP flag '" + c + "' in " + f + " (flags are F S R P U E W A and . for ACK)");
                }
            }
            return f;
        }
        throw error(t, "expected TCP flags (S, S., ., P., F., R, -), found " + t.describe());
    }

    private List<TcpOpt> tcpOptions() {
        List<TcpOpt> out = new ArrayList<>();
        while (true) {
            out.add(tcpOption());
            Token t = take();
            if (t.is('>')) {
                return out;
            }
            if (!t.is(',')) {
                throw error(t, "expected ',' or '>' in TCP options, found " + t.describe());
            }
        }
    }

    private TcpOpt tcpOption() {
        Token t = peek();
        if (t.type() != Type.WORD) {
            throw error(t, "expected a TCP option (mss, nop, wscale, sackOK, sack, TS, eol), found " + t.describe());
        }
        take();
        switch (t.text()) {
            case "nop" -> {
                return new TcpOpt.Nop();
            }
            case "eol" -> {
                return new TcpOpt.Eol();
            }
            case "mss" -> {
                return new TcpOpt.Mss((int) integer("after mss"));
            }
            case "wscale" -> {
                return new TcpOpt.WScale((int) integer("after wscale"));
            }
            case "sackOK" -> {
                return new TcpOpt.SackOk();
            }
            case "sack" -> {
                List<TcpOpt.Sack.Block> blocks = new ArrayList<>();
                do {
                    long l = integer("(sack block left edge, as in sack 1:1001)");
                    expect(':', "in a sack block left:right");
                    long r = integer("(sack block right edge)");
                    blocks.add(new TcpOpt.Sack.Block(l, r));
                } while (peek().type() == Type.INTEGER);
                return new TcpOpt.Sack(blocks);
            }
            case "TS" -> {
                if (!take().text().equals("val")) {
                    throw error(t, "TS option: write TS val N ecr M");
                }
                long val = integer("after TS val");
                Token e = take();
                if (!e.isWord("ecr")) {
                    throw error(e, "TS option: expected ecr, found " + e.describe());
                }
                return new TcpOpt.Timestamp(val, integer("after ecr"));
            }
            default -> {
                int from = t.offset();
                while (!peek().is(',') && !peek().is('>')) {
                    if (peek().type() == Type.EOF) {
                        throw error(t, "unclosed TCP option list: end it with '>'");
                    }
                    take();
                }
                return new TcpOpt.Other(src.substring(from, peek().offset()).strip());
            }
        }
    }

    // ---- syscalls ----------------------------------------------------------------------

    private PktEvent syscall(int line, EventTime time) {
        Long end = null;
        if (peek().type() == Type.ELLIPSIS) {
            take();
            end = time();
            if (end < time.startUsecs()) {
                throw error(peek(), "a blocking call's end time is before its start");
            }
        }
        Token name = take();
        if (name.type() != Type.WORD) {
            throw error(name, "expected a syscall name, found " + name.describe());
        }
        expect('(', "after the syscall name " + name.text());
        List<Expr> args = new ArrayList<>();
        if (!peek().is(')')) {
            args = expressionList(')');
        }
        expect(')', "to close " + name.text() + "(...)");
        expect('=', "after " + name.text() + "(...): every syscall says its result, e.g. = 0");
        Expr result = expression();
        String errno = null;
        String note = null;
        if (peek().type() == Type.WORD) { // events start with a time, so a word here is the errno
            errno = take().text();
            if (!peek().is('(')) {
                throw error(peek(), "expected the error text in parentheses after " + errno + ", e.g. "
                        + errno + " (Resource temporarily unavailable)");
            }
            note = note();
        } else if (peek().is('(')) {
            note = note();
        }
        return new PktEvent.Syscall(line, time, name.text(), args, result, errno, note, end);
    }

    private String note() {
        Token open = take();
        int depth = 1;
        int from = peek().offset();
        while (true) {
            Token t = peek();
            if (t.type() == Type.EOF) {
                throw error(open, "unclosed '(' in the syscall's note");
            }
            if (t.is('(')) {
                depth++;
            } else if (t.is(')') && --depth == 0) {
                String s = src.substring(from, t.offset()).strip();
                take();
                return s;
            }
            take();
        }
    }

    private List<Expr> expressionList(char close) {
        List<Expr> out = new ArrayList<>();
        out.add(expression());
        while (peek().is(',')) {
            take();
            if (peek().is(close)) {
                break; // a trailing comma, as in gre headers
            }
            out.add(expression());
        }
        return out;
    }

    private Expr expression() {
        Expr e = primary();
        if (peek().is('=') && (e instanceof Expr.Word || e instanceof Expr.Call)) {
            take();
            e = new Expr.Assign(e, expression());
        }
        while (peek().is('|')) {
            take();
            e = new Expr.Or(e, primary());
        }
        return e;
    }

    private Expr primary() {
        Token t = take();
        switch (t.type()) {
            case ELLIPSIS -> {
                return new Expr.Ellipsis();
            }
            case INTEGER, HEX -> {
                return new Expr.Num(parseLong(t, t.text()));
            }
            case STRING -> {
                StringBuilder sb = new StringBuilder(t.text());
                while (peek().type() == Type.STRING) {
                    sb.append(take().text());
                }
                boolean open = false;
                if (peek().type() == Type.ELLIPSIS) {
                    take();
                    open = true;
                }
                return new Expr.Str(sb.toString(), open);
            }
            case WORD -> {
                if (peek().is('(')) {
                    take();
                    List<Expr> args = peek().is(')') ? List.of() : expressionList(')');
                    expect(')', "to close " + t.text() + "(...)");
                    return new Expr.Call(t.text(), args);
                }
                return new Expr.Word(t.text());
            }
            case IPV4, IPV6 -> {
                return new Expr.Word(t.text());
            }
            case PUNCT -> {
                if (t.is('[') || t.is('{')) {
                    char close = t.is('[') ? ']' : '}';
                    List<Expr> items = peek().is(close) ? List.of() : expressionList(close);
                    expect(close, "to close " + t.text());
                    return new Expr.Group(items, close == '}');
                }
                throw error(t, "expected an expression, found " + t.describe());
            }
            default -> throw error(t, "expected an expression, found " + t.describe());
        }
    }
}
