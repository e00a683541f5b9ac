package dev.wirelab.cli.shell;

import dev.wirelab.emulator.lab.Lab;
import groovy.lang.Binding;
import groovy.lang.GroovyShell;
import groovy.lang.Script;
import groovy.transform.ThreadInterrupt;
import org.codehaus.groovy.control.CompilerConfiguration;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.codehaus.groovy.control.customizers.ASTTransformationCustomizer;
import org.codehaus.groovy.control.customizers.ImportCustomizer;
import org.codehaus.groovy.control.messages.Message;
import org.codehaus.groovy.control.messages.SyntaxErrorMessage;
import org.codehaus.groovy.syntax.SyntaxException;

import java.io.PrintStream;
import java.util.List;

/**
 * The Groovy side shared by {@code wirelab run} and {@code wirelab shell}: one
 * persistent {@link Binding} holding {@code lab} and its views, the API's verbs
 * as top-level functions ({@code expect(flags: 'S.')} is {@code lab.expect(...)}),
 * imports of the packet and lab packages, and the ThreadInterrupt transform so
 * Ctrl-C (a thread interrupt) stops even a busy script loop.
 */
public final class ScriptHost {
    /** Lab methods callable without the {@code lab.} prefix. */
    public static final List<String> VERBS = List.of("boot", "reset", "run", "step", "until", "advance", "tick", "tickAt",
            "breakpoint", "clearBreakpoint", "inject", "expect", "tcp", "udp", "icmp", "snapshot", "restore", "disasm",
            "ms", "us", "sec", "check", "reproduced", "skip", "gdb", "expectNone", "pkt");
    /** Variables every script and shell session starts with. */
    public static final List<String> VIEWS = List.of("lab", "regs", "mem", "sym", "console", "trace", "net", "sys");

    private final Lab lab;
    private final Binding binding = new Binding();
    private final GroovyShell shell;
    private final boolean sandboxed;
    private GroovyShell sandboxedShell;
    private ScriptOut scriptOut;

    /** The script's {@code out}: flushes on println, and remembers whether the last thing printed ended a line. */
    private static final class ScriptOut extends java.io.PrintWriter {
        private boolean midLine;

        ScriptOut(PrintStream to) {
            super(to, true);
        }

        @Override
        public void write(int c) {
            super.write(c);
            midLine = c != '\n';
        }

        @Override
        public void write(char[] buf, int off, int len) {
            super.write(buf, off, len);
            if (len > 0) {
                midLine = buf[off + len - 1] != '\n';
            }
        }

        @Override
        public void write(String str, int off, int len) {
            super.write(str, off, len);
            if (len > 0) {
                midLine = str.charAt(off + len - 1) != '\n';
            }
        }
    }

    /**
     * Shows everything the script printed: a final {@code print} without a newline is flushed and its
     * line ended, so nothing is lost and what the lab prints next starts on a line of its own.
     */
    public void endOutput() {
        if (scriptOut.midLine) {
            scriptOut.println();
        }
        scriptOut.flush();
    }
    public ScriptHost(Lab lab, List<String> args, PrintStream out) {
        this(lab, args, out, false);
    }

    /**
     * {@code sandboxed}: compile with {@link ScriptSandbox}'s allow-list (a script from someone
     * else), else as full Groovy (a script of one's own, {@code --trusted}).
     */
    public ScriptHost(Lab lab, List<String> args, PrintStream out, boolean sandboxed) {
        this.lab = lab;
        this.sandboxed = sandboxed;
        binding.setVariable("lab", lab);
        binding.setVariable("regs", lab.regs);
        binding.setVariable("mem", lab.mem);
        binding.setVariable("sym", lab.sym);
        binding.setVariable("console", lab.console);
        binding.setVariable("trace", lab.trace);
        binding.setVariable("net", lab.net);
        binding.setVariable("sys", lab.sys);
        binding.setVariable("args", List.copyOf(args));
        binding.setVariable("out", out);
        // Where wirelab is installed: scripts find the shipped corpora there (the sandbox lets them read it).
        binding.setVariable("wirelabRoot", System.getProperty("wirelab.root", "."));
        shell = compiler(sandboxed);
        // The verbs as closures in the binding too (scripts call them as lab.verb through VerbCalls; the
        // closures let a verb be passed around as a value). Compiled outside the sandbox: they are ours.
        StringBuilder prelude = new StringBuilder();
        for (String v : VERBS) {
            prelude.append(v).append(" = { Object... a -> lab.invokeMethod('").append(v).append("', a) }\n");
        }
        new GroovyShell(ScriptHost.class.getClassLoader(), binding).evaluate(prelude.toString(), "wirelab-prelude");
        // println in scripts goes to the command's stream (tests capture it).
        scriptOut = new ScriptOut(out);
        binding.setProperty("out", scriptOut);
    }

    private GroovyShell compiler(boolean sandbox) {
        CompilerConfiguration cc = new CompilerConfiguration();
        if (sandbox) {
            // Before ThreadInterrupt, whose inserted Thread.currentThread() checks are ours, not the script's.
            ScriptSandbox.customizers().forEach(cc::addCompilationCustomizers);
            // @Grab would fetch and load code while compiling, before any customizer sees it: off, so the
            // annotation stays and the sandbox refuses it.
            cc.setDisabledGlobalASTTransformations(java.util.Set.of("groovy.grape.GrabAnnotationTransformation"));
        }
        cc.addCompilationCustomizers(new VerbCalls(VERBS), new ASTTransformationCustomizer(ThreadInterrupt.class),
                new ImportCustomizer().addStarImports("dev.wirelab.emulator.wire", "dev.wirelab.emulator.lab"));
        return new GroovyShell(ScriptHost.class.getClassLoader(), binding, cc);
    }

    /** Compiles {@code text} under the sandbox whatever this host's default (the shell's {@code load}). */
    public Script parseSandboxed(String text, String fileName) {
        if (sandboxedShell == null) {
            sandboxedShell = sandboxed ? shell : compiler(true);
        }
        return sandboxedShell.parse(text, fileName);
    }

    public boolean sandboxed() {
        return sandboxed;
    }

    public Lab lab() {
        return lab;
    }

    public Binding binding() {
        return binding;
    }

    public GroovyShell shell() {
        return shell;
    }

    /** Compiles {@code text} as the script {@code fileName} (its stack frames carry that name). */
    public Script parse(String text, String fileName) {
        return shell.parse(text, fileName);
    }

    /**
     * The name a script file is compiled under: its own, unless that would make an invalid class name
     * (a Java keyword such as {@code long.groovy}, or a name starting with a digit).
     */
    public static String unitName(String fileName) {
        String base = fileName.endsWith(".groovy") ? fileName.substring(0, fileName.length() - 7) : fileName;
        boolean ok = !base.isEmpty() && Character.isJavaIdentifierStart(base.charAt(0))
                && base.chars().allMatch(Character::isJavaIdentifierPart) && !javax.lang.model.SourceVersion.isKeyword(base);
        return ok ? fileName : "script_" + base.replaceAll("[^A-Za-z0-9_$]", "_") + ".groovy";
    }

    /** "file:line: message" for a compile error, or null when {@code e} has no syntax error. */
    public static String compileError(MultipleCompilationErrorsException e, String fileName) {
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage s) {
                SyntaxException x = s.getCause();
                return fileName + ":" + x.getLine() + ": " + x.getOriginalMessage();
            }
        }
        String msg = e.getMessage() == null ? "" : e.getMessage();
        String first = msg.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.equals("startup failed:"))
                .findFirst().orElse("compile error");
        return fileName + ": " + first;
    }

    /**
     * True when the input ended early: a bracket or a string is still open (Groovy's own
     * messages for that vary: "Unexpected input: '{'", "'<EOF>'"), so the shell asks for more lines.
     */
    public static boolean unfinished(MultipleCompilationErrorsException e, String source) {
        for (Message m : e.getErrorCollector().getErrors()) {
            if (m instanceof SyntaxErrorMessage s && s.getCause().getOriginalMessage().contains("<EOF>")) {
                return true;
            }
        }
        return openBrackets(source);
    }

    /** A rough scan: more (, [, { opened than closed, or a string or block comment left open. */
    static boolean openBrackets(String src) {
        int depth = 0;
        int i = 0;
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == '/' && i + 1 < n && src.charAt(i + 1) == '/') {
                while (i < n && src.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && src.charAt(i + 1) == '*') {
                int end = src.indexOf("*/", i + 2);
                if (end < 0) {
                    return true;
                }
                i = end + 2;
                continue;
            } else if (c == '\'' || c == '"') {
                String q = src.startsWith(String.valueOf(c).repeat(3), i) ? String.valueOf(c).repeat(3) : String.valueOf(c);
                int j = i + q.length();
                while (j < n && !src.startsWith(q, j)) {
                    j += src.charAt(j) == '\\' ? 2 : 1;
                }
                if (j >= n) {
                    return true;
                }
                i = j + q.length();
                continue;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            }
            i++;
        }
        return depth > 0;
    }
}
