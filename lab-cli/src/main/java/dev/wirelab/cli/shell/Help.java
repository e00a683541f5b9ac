package dev.wirelab.cli.shell;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/** {@code help} and {@code help OBJECT}: what each bound object offers. */
final class Help {
    private Help() { }

    static final Map<String, String> ABOUT = new LinkedHashMap<>();

    static {
        ABOUT.put("lab", """
                lab: the guest and everything you do to it
                  boot() / boot(image: 'FILE', bootargs: '...', gic: 2, ready: false)   reset()
                  run(n) step() until(addr | 'symbol' | 'console text' | ~/regex/ | { cond } | [time:, ms:, within:])
                  advance(ms: 10)   breakpoint('tcp_input')  clearBreakpoint(..)  tick()  tickAt(t)
                  tcp(flags: 'S', seq: 0, ack: 0, win: 65535, data: 'x', mss: 1460, sport: 40000, dport: 7)
                  udp(..) icmp(..)  inject(pkt) / inject(pkt, at: t)
                  expect(flags: 'S.', seq: 0, ack: 1, win: '*', data: 'hi', within: ms(100), eventually: true)
                    options: mss: 1460, wscale: '*', sackOK: true, sack: [[1, 101]], ts: ['*', 0]
                  expectNone(within: ms(50))   strict = true (every guest packet must be expected)   conn
                  pkt('FILE.pkt'): run a packetdrill script here (see corpora/pkt/README.md)
                  snapshot() restore(s)  disasm(addr, n)  ms(n) us(n) sec(n)  now time instructions status panic
                  check(cond, 'msg')  reproduced('title')  budget
                  gdb(1234): GDB debugs the machine here (target remote :1234, reverse-stepi too); goes on at detach""");
        ABOUT.put("regs", "regs: CPU registers as a map: regs.x0, regs.pc, regs.sp, regs.lr; regs.x1 = 5 writes");
        ABOUT.put("mem", "mem: guest virtual memory: read(addr, n), write(addr, bytes|'text'), u8/u16/u32/u64(addr), "
                + "string(addr, max), dump(addr, n); addr may be a symbol name");
        ABOUT.put("sym", "sym: symbols of the loaded ELF: sym.tcp_input (address), sym.at(addr) (name+offset), sym.names()");
        ABOUT.put("console", "console: console.text (all output), console.lines, console.last(n), console.input('text')");
        ABOUT.put("trace", "trace: trace.frames (both directions), trace.tcp (seq/ack relative to the ISNs), trace.last(n), "
                + "trace.interrupts, trace.syscalls, "
                + "trace.entries, trace.hash");
        ABOUT.put("net", "net: the virtual wire's host 10.0.2.2: c = net.connect(7); net.established(c, ms(100)); "
                + "c.send('x'); until { c.received() >= 1 }; c.readString(); c.close()");
        ABOUT.put("sys", "sys: syscalls inside the guest through its agents 0 and 1: fd = sys.socket(0, 2, 1, 0).orThrow(); "
                + "sys.bind(0, fd, '0.0.0.0', 9000); sys.listen(0, fd, 4); sys.host for the rest");
    }

    static String text(String topic, ScriptHost host) {
        if (topic.isEmpty()) {
            return """
                    wirelab shell: Groovy with the lab bound. Objects (help NAME for each):
                      lab regs mem sym console trace net sys
                    The lab's verbs work without 'lab.': boot run step until advance tick breakpoint inject expect
                      expectNone pkt tcp udp icmp snapshot restore disasm ms us check reproduced
                    Shell: help [NAME]   save FILE (a script that 'wirelab run FILE' replays)   exit (or Ctrl-D)
                      load FILE (runs a script here, sandboxed: a repro from a bug report; load --trusted FILE for yours)
                    Tab completes names, symbols (sym.<Tab>) and paths; Ctrl-C stops a running guest or line.
                    Variables: 'x = 1' persists between lines; 'def x = 1' is local to its line.""";
        }
        String about = ABOUT.get(topic);
        Object v = host.binding().hasVariable(topic) ? host.binding().getVariable(topic) : null;
        if (about == null && v == null) {
            return "no help for '" + topic + "': try one of " + String.join(" ", ABOUT.keySet());
        }
        StringBuilder sb = new StringBuilder(about == null ? topic + ": " + v.getClass().getSimpleName() : about);
        if (v != null && !(v instanceof groovy.lang.Closure)) {
            sb.append("\n  members: ").append(String.join(" ", members(v.getClass())));
        }
        return sb.toString();
    }

    /** Public method and property names of {@code c}, without Object's and Map's plumbing. */
    static TreeSet<String> members(Class<?> c) {
        TreeSet<String> names = new TreeSet<>();
        for (Method m : c.getMethods()) {
            if (m.getDeclaringClass() == Object.class || Modifier.isStatic(m.getModifiers())
                    || m.getDeclaringClass().getName().startsWith("java.")) {
                continue;
            }
            String n = m.getName();
            if (n.startsWith("get") && n.length() > 3 && m.getParameterCount() == 0) {
                names.add(Character.toLowerCase(n.charAt(3)) + n.substring(4));
            } else if (n.startsWith("is") && n.length() > 2 && m.getParameterCount() == 0) {
                names.add(Character.toLowerCase(n.charAt(2)) + n.substring(3));
            } else if (!n.startsWith("set") && !n.contains("$") && !Arrays.asList("equals", "hashCode", "toString").contains(n)) {
                names.add(n);
            }
        }
        for (var f : c.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                names.add(f.getName());
            }
        }
        return names;
    }
}
