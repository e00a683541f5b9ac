package dev.wirelab.cli.shell;

import org.codehaus.groovy.runtime.InvokerHelper;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tab completion: variables and verbs, members of bound objects
 * ({@code lab.ru} → {@code lab.run}), guest symbols ({@code sym.tcp_} and
 * {@code until('tcp_}), and file paths inside a string or after {@code save}.
 */
final class LabCompleter implements Completer {
    private static final Pattern EXPR = Pattern.compile("([A-Za-z_$][\\w$]*(?:\\.[A-Za-z_$][\\w$]*)*\\.?)$");
    private final ScriptHost host;

    LabCompleter(ScriptHost host) {
        this.host = host;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.line().substring(0, line.cursor()), line.word().substring(0, line.wordCursor())));
    }

    /** Candidates for the text before the cursor; {@code word} is the part JLine replaces. */
    List<Candidate> candidates(String before, String word) {
        List<Candidate> out = new ArrayList<>();
        boolean inString = count(before, '\'') % 2 == 1 || count(before, '"') % 2 == 1;
        if (inString || before.startsWith("save ")) {
            int q = Math.max(word.lastIndexOf('\''), word.lastIndexOf('"'));
            String head = word.substring(0, q + 1);
            String partial = word.substring(q + 1);
            files(head, partial, out);
            if (inString) {
                for (String s : host.lab().sym.names()) {
                    if (s.startsWith(partial) && !partial.isEmpty()) {
                        out.add(new Candidate(head + s, s, "symbols", null, null, null, false));
                    }
                }
            }
            return out;
        }
        Matcher m = EXPR.matcher(word);
        if (!m.find()) {
            return out;
        }
        String expr = m.group(1);
        String head = word.substring(0, m.start(1));
        int dot = expr.lastIndexOf('.');
        if (dot < 0) {
            List<String> names = new ArrayList<>();
            for (Object k : host.binding().getVariables().keySet()) {
                names.add(String.valueOf(k));
            }
            names.addAll(List.of("help", "save", "exit"));
            for (String n : names) {
                if (n.startsWith(expr) && !n.equals("out")) {
                    out.add(new Candidate(head + n, n, "names", null, null, null, false));
                }
            }
            return out;
        }
        Object target = resolve(expr.substring(0, dot));
        if (target == null) {
            return out;
        }
        String prefix = expr.substring(dot + 1);
        String base = head + expr.substring(0, dot + 1);
        for (String n : Help.members(target.getClass())) {
            if (n.startsWith(prefix)) {
                out.add(new Candidate(base + n, n, "members", null, null, null, false));
            }
        }
        if (target instanceof Map<?, ?> map && (target == host.lab().sym || target == host.lab().regs)) {
            if (target == host.lab().sym && prefix.isEmpty()) {
                return out; // thousands of symbols: wait for a first letter
            }
            for (Object k : target == host.lab().sym ? host.lab().sym.names() : List.of(regNames())) {
                String s = String.valueOf(k);
                if (s.startsWith(prefix) && s.matches("[A-Za-z_$][\\w$]*")) {
                    out.add(new Candidate(base + s, s, target == host.lab().sym ? "symbols" : "registers", null, null, null, true));
                }
            }
        }
        return out;
    }

    private static String[] regNames() {
        String[] r = new String[36];
        for (int i = 0; i <= 30; i++) {
            r[i] = "x" + i;
        }
        r[31] = "sp";
        r[32] = "pc";
        r[33] = "lr";
        r[34] = "fp";
        r[35] = "pstate";
        return r;
    }

    /** Walks a.b.c through the binding and properties; null when anything along the way fails. */
    private Object resolve(String path) {
        String[] parts = path.split("\\.");
        if (!host.binding().hasVariable(parts[0])) {
            return null;
        }
        Object o = host.binding().getVariable(parts[0]);
        for (int i = 1; i < parts.length && o != null; i++) {
            if (o == host.lab().sym || o == host.lab().regs) {
                return null; // a map lookup, not a member: nothing to complete after it
            }
            try {
                o = InvokerHelper.getProperty(o, parts[i]);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return o;
    }

    private static void files(String head, String partial, List<Candidate> out) {
        int slash = partial.lastIndexOf('/');
        String dirPart = slash < 0 ? "" : partial.substring(0, slash + 1);
        String namePart = partial.substring(slash + 1);
        File dir = new File(dirPart.isEmpty() ? "." : dirPart);
        String[] names = dir.list();
        if (names == null) {
            return;
        }
        java.util.Arrays.sort(names);
        for (String n : names) {
            if (n.startsWith(namePart) && (!n.startsWith(".") || namePart.startsWith("."))) {
                boolean isDir = new File(dir, n).isDirectory();
                out.add(new Candidate(head + dirPart + n + (isDir ? "/" : ""), n + (isDir ? "/" : ""), "files", null, null,
                        null, !isDir && false));
            }
        }
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c && (i == 0 || s.charAt(i - 1) != '\\')) {
                n++;
            }
        }
        return n;
    }
}
