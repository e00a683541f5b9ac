package dev.wirelab.emulator.gdb;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One debugger's conversation, without I/O: a packet payload in, an
 * {@link Action} out. Knows the packets a GDB for AArch64 sends (and QEMU's
 * stub answers); anything else gets the empty reply that means "unsupported",
 * and malformed arguments get {@code E01}-style errors. Never throws on input.
 */
public final class GdbSession {
    /** What the server does with a packet. */
    public sealed interface Action {
        record Reply(String payload) implements Action { }

        /** Run the target; the stop reply follows when it stops. */
        record Resume(GdbTarget.Resume how) implements Action { }

        /** {@code D}: reply OK and give the machine back. */
        record Detach() implements Action { }

        /** {@code k}: no reply; the debugger is gone. */
        record Kill() implements Action { }
    }

    /** Output of {@code monitor} commands: text lines for the console (sent as O packets or qRcmd hex). */
    @FunctionalInterface
    public interface MonitorHandler {
        String run(String command);
    }

    private static final HexFormat HEX = HexFormat.of();

    private final GdbTarget target;
    private final MonitorHandler monitor;
    private final int maxPayload;
    private boolean noAck;

    public GdbSession(GdbTarget target, MonitorHandler monitor, int maxPayload) {
        this.target = target;
        this.monitor = monitor;
        this.maxPayload = maxPayload;
    }

    /** After {@code QStartNoAckMode}: the server stops sending and expecting '+'. */
    public boolean noAck() {
        return noAck;
    }

    public Action handle(String p) {
        try {
            return dispatch(p);
        } catch (GdbTarget.MemoryFault e) {
            return reply("E14");
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return reply("E01");
        }
    }

    private Action dispatch(String p) {
        if (p.isEmpty()) {
            return reply("");
        }
        char c = p.charAt(0);
        return switch (c) {
            case '?' -> reply(target.lastStop().reply());
            case 'g' -> reply(readAllRegisters());
            case 'G' -> writeAllRegisters(p.substring(1));
            case 'p' -> readRegister(p.substring(1));
            case 'P' -> writeRegister(p.substring(1));
            case 'm' -> readMemory(p.substring(1));
            case 'M' -> writeMemory(p.substring(1));
            case 'X' -> reply(""); // binary writes: GDB falls back to M
            case 'Z', 'z' -> stopPoint(c == 'Z', p.substring(1));
            case 'c' -> resumeAt(p.substring(1), GdbTarget.Resume.CONTINUE);
            case 's' -> resumeAt(p.substring(1), GdbTarget.Resume.STEP);
            case 'b' -> p.equals("bc") ? new Action.Resume(GdbTarget.Resume.REVERSE_CONTINUE)
                    : p.equals("bs") ? new Action.Resume(GdbTarget.Resume.REVERSE_STEP) : reply("");
            case 'v' -> v(p);
            case 'q' -> query(p);
            case 'Q' -> set(p);
            case 'H' -> reply("OK");                 // one thread: any selection is it
            case 'T' -> reply(threadAlive(p.substring(1)) ? "OK" : "E01");
            case 'D' -> new Action.Detach();
            case 'k' -> new Action.Kill();
            default -> reply("");
        };
    }

    private static Action reply(String s) {
        return new Action.Reply(s);
    }

    private static boolean threadAlive(String id) {
        return id.equals("1") || id.equals("01") || id.equals("-1") || id.equals("0") || id.equals("p1.1");
    }

    // ---- registers ----------------------------------------------------------

    private String readAllRegisters() {
        StringBuilder s = new StringBuilder(TargetDescription.COUNT * 16);
        for (int n = 0; n < TargetDescription.COUNT; n++) {
            s.append(HEX.formatHex(target.readRegister(n)));
        }
        return s.toString();
    }

    private Action writeAllRegisters(String hex) {
        byte[] all = HEX.parseHex(hex);
        int off = 0;
        for (int n = 0; n < TargetDescription.COUNT && off < all.length; n++) {
            int size = TargetDescription.size(n);
            if (off + size > all.length) {
                return reply("E01");
            }
            byte[] v = java.util.Arrays.copyOfRange(all, off, off + size);
            if (!java.util.Arrays.equals(v, target.readRegister(n))) {
                target.writeRegister(n, v);
            }
            off += size;
        }
        return reply("OK");
    }

    private Action readRegister(String arg) {
        int n = Integer.parseInt(arg, 16);
        if (n < 0 || n >= TargetDescription.COUNT) {
            return reply("E01");
        }
        return reply(HEX.formatHex(target.readRegister(n)));
    }

    private Action writeRegister(String arg) {
        int eq = arg.indexOf('=');
        int n = Integer.parseInt(arg.substring(0, eq), 16);
        if (n < 0 || n >= TargetDescription.COUNT) {
            return reply("E01");
        }
        byte[] v = HEX.parseHex(arg.substring(eq + 1));
        if (v.length != TargetDescription.size(n)) {
            return reply("E01");
        }
        target.writeRegister(n, v);
        return reply("OK");
    }

    // ---- memory -------------------------------------------------------------

    private Action readMemory(String arg) {
        int comma = arg.indexOf(',');
        long addr = Long.parseUnsignedLong(arg.substring(0, comma), 16);
        int len = Integer.parseInt(arg.substring(comma + 1), 16);
        if (len < 0 || len * 2 > maxPayload) {
            return reply("E01");
        }
        return reply(HEX.formatHex(target.readMemory(addr, len)));
    }

    private Action writeMemory(String arg) {
        int comma = arg.indexOf(',');
        int colon = arg.indexOf(':');
        long addr = Long.parseUnsignedLong(arg.substring(0, comma), 16);
        int len = Integer.parseInt(arg.substring(comma + 1, colon), 16);
        byte[] data = HEX.parseHex(arg.substring(colon + 1));
        if (data.length != len) {
            return reply("E01");
        }
        target.writeMemory(addr, data);
        return reply("OK");
    }

    // ---- breakpoints and watchpoints -----------------------------------------

    private Action stopPoint(boolean insert, String arg) {
        String[] f = arg.split("[,;]");
        if (f.length < 3) {
            return reply("E01");
        }
        GdbTarget.StopPoint.Kind kind = switch (f[0]) {
            case "0" -> GdbTarget.StopPoint.Kind.SOFTWARE;
            case "1" -> GdbTarget.StopPoint.Kind.HARDWARE;
            case "2" -> GdbTarget.StopPoint.Kind.WRITE;
            case "3" -> GdbTarget.StopPoint.Kind.READ;
            case "4" -> GdbTarget.StopPoint.Kind.ACCESS;
            default -> null;
        };
        if (kind == null) {
            return reply("");
        }
        long addr = Long.parseUnsignedLong(f[1], 16);
        int len = Integer.parseInt(f[2], 16);
        if (len <= 0 || len > 4096) {
            return reply("E01");
        }
        var point = new GdbTarget.StopPoint(kind, addr, kind.isWatch() ? len : 4);
        boolean ok = insert ? target.insert(point) : target.remove(point) || true;
        return reply(ok ? "OK" : "");
    }

    // ---- resuming -----------------------------------------------------------

    private Action resumeAt(String addr, GdbTarget.Resume how) {
        if (!addr.isEmpty()) {
            long pc = Long.parseUnsignedLong(addr, 16);
            target.writeRegister(TargetDescription.PC, java.nio.ByteBuffer.allocate(8)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(pc).array());
        }
        return new Action.Resume(how);
    }

    private Action v(String p) {
        if (p.equals("vCont?")) {
            return reply("vCont;c;C;s;S");
        }
        if (p.startsWith("vCont;")) {
            // One CPU: the first action is the one for it (a default action after a thread's own is the same CPU).
            String first = p.substring(6).split(";")[0];
            String verb = first.split(":")[0];
            return switch (verb.charAt(0)) {
                case 'c', 'C' -> new Action.Resume(GdbTarget.Resume.CONTINUE);
                case 's', 'S' -> new Action.Resume(GdbTarget.Resume.STEP);
                case 't' -> reply(target.lastStop().reply());
                default -> reply("E01");
            };
        }
        if (p.startsWith("vKill")) {
            return new Action.Kill();
        }
        if (p.startsWith("vMustReplyEmpty")) {
            return reply("");
        }
        return reply("");
    }

    // ---- queries ------------------------------------------------------------

    private Action query(String p) {
        if (p.startsWith("qSupported")) {
            return reply(String.format("PacketSize=%x;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+;"
                    + "ReverseStep+;ReverseContinue+;vContSupported+", maxPayload));
        }
        if (p.startsWith("qXfer:features:read:")) {
            return features(p.substring("qXfer:features:read:".length()));
        }
        if (p.equals("qAttached") || p.startsWith("qAttached:")) {
            return reply("1");
        }
        if (p.equals("qC")) {
            return reply("QC1");
        }
        if (p.equals("qfThreadInfo")) {
            return reply("m1");
        }
        if (p.equals("qsThreadInfo")) {
            return reply("l");
        }
        if (p.startsWith("qThreadExtraInfo")) {
            return reply(HEX.formatHex("CPU#0".getBytes(StandardCharsets.US_ASCII)));
        }
        if (p.equals("qSymbol::")) {
            return reply("OK");
        }
        if (p.startsWith("qRcmd,")) {
            String cmd = new String(HEX.parseHex(p.substring(6)), StandardCharsets.UTF_8);
            String out = monitor.run(cmd.trim());
            if (out.isEmpty()) {
                return reply("OK");
            }
            return reply(HEX.formatHex(out.getBytes(StandardCharsets.UTF_8)));
        }
        return reply("");
    }

    private Action features(String arg) {
        int colon = arg.indexOf(':');
        String annex = arg.substring(0, colon);
        if (!annex.equals("target.xml")) {
            return reply("E00");
        }
        String[] range = arg.substring(colon + 1).split(",");
        int off = Integer.parseInt(range[0], 16);
        int len = Integer.parseInt(range[1], 16);
        String xml = TargetDescription.xml();
        if (off < 0 || len < 0) {
            return reply("E01");
        }
        if (off >= xml.length()) {
            return reply("l");
        }
        int n = Math.min(Math.min(len, maxPayload - 1), xml.length() - off);
        return reply((off + n >= xml.length() ? "l" : "m") + xml.substring(off, off + n));
    }

    private Action set(String p) {
        if (p.equals("QStartNoAckMode")) {
            noAck = true;
            return reply("OK");
        }
        return reply("");
    }
}
