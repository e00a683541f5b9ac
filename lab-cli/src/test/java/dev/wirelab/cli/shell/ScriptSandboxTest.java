package dev.wirelab.cli.shell;

import dev.wirelab.emulator.lab.Lab;
import org.codehaus.groovy.control.MultipleCompilationErrorsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sandbox refuses, at compile time and naming the line, every class of construct a stranger's
 * script could use to reach the host, and the Groovy features that dodge a static allow-list.
 */
class ScriptSandboxTest {
    private final Lab lab = new Lab();
    private final ScriptHost host = new ScriptHost(lab, List.of(), new PrintStream(new ByteArrayOutputStream(), true), true);

    @AfterEach
    void close() {
        lab.close();
    }

    private String refusal(String script) {
        MultipleCompilationErrorsException e = assertThrows(MultipleCompilationErrorsException.class,
                () -> host.parse(script, "x.groovy"), script);
        return ScriptHost.compileError(e, "x.groovy");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            file read                 | new File('/etc/passwd').text                                  | new java.io.File
            nio files                 | java.nio.file.Files.readString(java.nio.file.Path.of('/x'))   | java.nio.file
            url                       | new URL('http://example.com').text                            | java.net.URL
            url from a string         | 'file:///etc/passwd'.toURL().text                             | method 'toURL'
            socket                    | new Socket('example.com', 80)                                 | java.net.Socket
            process from a string     | 'id'.execute()                                                | method 'execute'
            process from a list       | ['sh', '-c', 'id'].execute()                                  | method 'execute'
            process builder           | new ProcessBuilder('id').start()                              | java.lang.ProcessBuilder
            runtime                   | Runtime.getRuntime().exec('id')                               | java.lang.Runtime
            system exit               | System.exit(0)                                                | method 'exit'
            environment               | System.getenv('HOME')                                         | java.lang.System
            thread                    | new Thread({ -> }).start()                                    | java.lang.Thread
            reflection                | Class.forName('java.lang.Runtime')                            | method 'forName'
            forName on an allowed one | String.forName('java.lang.Runtime')                           | method 'forName'
            getClass                  | ''.getClass()                                                 | method 'getClass'
            class property            | ''.class                                                      | property 'class'
            class loader              | lab.classLoader                                               | property 'classLoader'
            metaClass                 | String.metaClass.foo = { -> 1 }                               | property 'metaClass'
            invokeMethod              | 'id'.invokeMethod('execute', null)                            | method 'invokeMethod'
            string-to-method          | m = 'exec' + 'ute'; 'id'."$m"()                               | a computed method name
            dynamic property          | p = 'class'; ''."$p"                                          | a computed property name
            method pointer            | f = 'id'.&execute; f()                                        | method reference to 'execute'
            spread call               | ['id']*.execute()                                             | method 'execute'
            closure delegate          | c = { -> execute() }; c.delegate = 'id'; c()                  | method 'execute'
            delegate alone            | c = { -> 1 }; c.delegate = 'x'                                | property 'delegate'
            with                      | 'id'.with { it.size() }                                       | method 'with'
            evaluate                  | evaluate('1 + 1')                                             | method 'evaluate'
            eval class                | groovy.util.Eval.me('1 + 1')                                  | groovy.util.Eval
            groovy shell              | new GroovyShell().parse('1')                                  | groovy.lang.GroovyShell
            binding                   | this.binding.variables                                        | property 'binding'
            bare binding              | binding.variables                                             | 'binding'
            field access              | lab.@board                                                    | direct field access
            raw board                 | lab.board                                                     | property 'board'
            subscript to a property   | ''['class']                                                   | subscript ['class']
            cast to a class           | f = ('/etc/passwd' as File)                                   | a cast to java.io.File
            typed variable            | File f = null                                                 | a variable of java.io.File
            star import               | import java.io.*; 1                                           | import java.io.*
            import                    | import java.nio.file.Files; 1                                 | import of java.nio.file.Files
            subclass                  | class L extends ClassLoader { }; 1                            | extending java.lang.ClassLoader
            unseeded random           | new Random().nextInt()                                        | an unseeded new Random()
            budget lock bypass        | lab.lockBudget()                                              | method 'lockBudget'
            capture to any file       | lab.setCaptureFile(null)                                      | method 'setCaptureFile'
            grab                      | @Grab('org.example:x:1') import java.lang.Object; 1           | annotation @Grab
            responds to               | 'id'.respondsTo('execute')                                    | method 'respondsTo'
            meta method invoke        | m.doMethodInvoke('id')                                        | method 'doMethodInvoke'
            explicit getAt            | ''.getAt('class')                                             | method 'getAt'
            ast test                  | @groovy.transform.ASTTest(value = { assert false }) def x = 1 | annotation @groovy.transform.ASTTest
            """)
    void refused(String what, String script, String construct) {
        String m = refusal(script);
        assertTrue(m.startsWith("x.groovy:1: sandbox: "), m);
        assertTrue(m.contains(construct), what + ": " + m);
        assertTrue(m.contains("--trusted"), m);
    }

    @Test
    void theRefusalNamesTheScriptLine() {
        String m = refusal("boot()\ny = 1\n\n'id'.execute()\n");
        assertTrue(m.startsWith("x.groovy:4: sandbox: method 'execute'"), m);
    }

    @Test
    void plainGroovyAndTheLabApiCompile() {
        assertDoesNotThrow(() -> host.parse("""
                import dev.wirelab.emulator.wire.TcpFlags
                @groovy.transform.Field int n = 3
                def seen = [:]
                rnd = new Random(42)
                for (i in 0..<n) { seen[i] = rnd.nextInt(10) }
                s = new StringBuilder().append('x' * 3).toString()
                m = ('abc' =~ /b/)
                assert TcpFlags.parse('S.') != 0
                def f(int a) { a * 2 }
                p = tcp(flags: 'S', seq: 0).bytes
                bb = new ByteArrayOutputStream(); bb.write(1)
                println "${f(2)} ${seen.size()} ${Math.max(1, 2)} ${[1, 2, 3].sum()} ${lab.budget}"
                run(1000); step(); until('x'); regs.x0; mem; sym; console.text; trace.hash; sys; net
                """, "ok.groovy"));
    }

    @Test
    void trustedScriptsAreFullGroovy() {
        ScriptHost trusted = new ScriptHost(lab, List.of(), new PrintStream(new ByteArrayOutputStream(), true), false);
        assertDoesNotThrow(() -> trusted.parse("new File('/etc/passwd').exists()\n", "t.groovy"));
    }

    @Test
    void aSandboxedScriptCannotRaiseItsBudget() {
        lab.setBudget(1000);
        lab.lockBudget();
        lab.setBudget(1_000_000);
        assertEquals(1000, lab.getBudget());
        lab.setBudget(10);
        assertEquals(10, lab.getBudget());
    }

    @Test
    void aSubscriptByAComputedKeyIsCheckedAtRunTime() {
        groovy.lang.Script ok = host.parse("""
                k = 'a'; i = 1
                m = [a: 1]; l = [5, 6]; counts = [:]
                m[k] = 2; counts[k] = 0; counts[k] += 3; counts[k]++; l[i] = 7; l[i] += 1
                sum = m[k] + l[i] + l[0..1].sum() + counts[k] + 'xyz'[i].size()
                """, "sub.groovy");
        ok.run();
        assertEquals(2 + 8 + 13 + 4 + 1, host.binding().getVariable("sum"));
        for (String escape : List.of("k = 'class'; ''[k]", "k = 'class'; [''][k]", "k = 'delegate'; c = { -> }; c[k] = 'x'",
                "k = 'metaClass'; lab[k]", "k = 'x'; lab[k] += 1")) {
            groovy.lang.Script s = host.parse(escape + "\n", "esc.groovy");
            SecurityException e = assertThrows(SecurityException.class, s::run, escape);
            assertTrue(e.getMessage().contains("a subscript by a computed key"), e.getMessage());
        }
    }

    @Test
    void everyShippedScriptAndReproCompilesSandboxed() throws java.io.IOException {
        Path root = Path.of(System.getProperty("wirelab.root", ".."));
        List<Path> scripts;
        try (var files = java.nio.file.Files.walk(root.resolve("scripts"))) {
            scripts = new java.util.ArrayList<>(files.filter(f -> f.toString().endsWith(".groovy")).toList());
        }
        try (var files = java.nio.file.Files.walk(root.resolve("corpora"))) {
            scripts.addAll(files.filter(f -> f.toString().endsWith(".groovy")).toList());
        }
        assertTrue(scripts.size() >= 4, scripts.toString());
        for (Path f : scripts) {
            String text = java.nio.file.Files.readString(f);
            assertDoesNotThrow(() -> host.parse(text, ScriptHost.unitName(f.getFileName().toString())), f.toString());
        }
    }
}
