package dev.wirelab.cli.shell;

import org.codehaus.groovy.ast.AnnotatedNode;
import org.codehaus.groovy.ast.AnnotationNode;
import org.codehaus.groovy.ast.ASTNode;
import org.codehaus.groovy.ast.ClassCodeVisitorSupport;
import org.codehaus.groovy.ast.ClassHelper;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.FieldNode;
import org.codehaus.groovy.ast.ImportNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.ModuleNode;
import org.codehaus.groovy.ast.Parameter;
import org.codehaus.groovy.ast.expr.ArgumentListExpression;
import org.codehaus.groovy.ast.expr.AttributeExpression;
import org.codehaus.groovy.ast.expr.BinaryExpression;
import org.codehaus.groovy.ast.expr.CastExpression;
import org.codehaus.groovy.ast.expr.ClassExpression;
import org.codehaus.groovy.ast.expr.ConstantExpression;
import org.codehaus.groovy.ast.expr.ConstructorCallExpression;
import org.codehaus.groovy.ast.expr.DeclarationExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.MethodPointerExpression;
import org.codehaus.groovy.ast.expr.PropertyExpression;
import org.codehaus.groovy.ast.expr.StaticMethodCallExpression;
import org.codehaus.groovy.ast.expr.TupleExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;
import org.codehaus.groovy.syntax.SyntaxException;
import org.codehaus.groovy.syntax.Types;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The sandbox for scripts that come from strangers (repros pasted into bug reports): an
 * allow-list checked at compile time. A script may use the lab API, the packet types, plain
 * Groovy and a list of safe standard classes (strings, numbers, collections, regex, a seeded
 * {@code Random}); it may not name any other class (so no {@code File}, {@code Files},
 * {@code URL}, sockets, {@code ProcessBuilder}, {@code Runtime}, {@code System}, {@code Thread},
 * {@code Class}, {@code GroovyShell}, {@code Eval}), and may not use the dynamic doors that a
 * static class check cannot see through: computed method or property names ({@code "$x"()},
 * {@code obj."$p"}), direct field access ({@code obj.@f}), annotations other than {@code @Field}
 * ({@code @Grab}, {@code @ASTTest} run code at compile time), and members that reach the
 * metaclass, reflection, class loaders, processes, evaluation or a closure's delegate, whatever
 * the receiver ({@code execute}, {@code metaClass}, {@code invokeMethod}, {@code getClass},
 * {@code classLoader}, {@code forName}, {@code evaluate}, {@code delegate}, {@code with}, ...).
 * Each refusal is one compile error on the script line, so {@code wirelab run} exits 2 naming it.
 *
 * <p>What a static check cannot see: a subscript by a computed key on an arbitrary object
 * ({@code obj[name]}) reads a property by that name; {@link SandboxRuntime} checks those at run
 * time. The lab API's own file inputs are confined by {@code Lab.confineFiles}. What this does not
 * cover: methods with harmless names on objects the lab API hands out (a whole-call interceptor
 * would; it is not built yet).
 */
final class ScriptSandbox {
    private ScriptSandbox() { }

    /** Classes a sandboxed script may name (construct, call statically, cast to, declare). */
    static final Set<String> CLASSES = Set.of(
            "java.lang.Object", "java.lang.String", "java.lang.CharSequence", "java.lang.StringBuilder",
            "java.lang.Math", "java.lang.StrictMath", "java.lang.Number", "java.lang.Integer", "java.lang.Long",
            "java.lang.Short", "java.lang.Byte", "java.lang.Double", "java.lang.Float", "java.lang.Boolean",
            "java.lang.Character", "java.lang.Comparable", "java.lang.Iterable", "java.lang.Void",
            "java.lang.Exception", "java.lang.RuntimeException", "java.lang.IllegalArgumentException",
            "java.lang.IllegalStateException", "java.lang.AssertionError", "java.lang.ArithmeticException",
            "java.lang.IndexOutOfBoundsException", "java.lang.UnsupportedOperationException",
            "java.math.BigInteger", "java.math.BigDecimal", "java.math.RoundingMode",
            "java.util.List", "java.util.ArrayList", "java.util.LinkedList", "java.util.Map", "java.util.HashMap",
            "java.util.LinkedHashMap", "java.util.TreeMap", "java.util.Set", "java.util.HashSet",
            "java.util.LinkedHashSet", "java.util.TreeSet", "java.util.Collection", "java.util.Collections",
            "java.util.Arrays", "java.util.Deque", "java.util.ArrayDeque", "java.util.Queue",
            "java.util.PriorityQueue", "java.util.Iterator", "java.util.Objects", "java.util.Optional",
            "java.util.HexFormat", "java.util.BitSet", "java.util.StringJoiner", "java.util.Random",
            "java.util.Map$Entry", "java.util.regex.Pattern", "java.util.regex.Matcher",
            "java.io.ByteArrayOutputStream", "java.io.ByteArrayInputStream", "java.security.MessageDigest",
            "java.nio.ByteBuffer", "java.nio.ByteOrder", "java.nio.charset.StandardCharsets",
            "groovy.lang.Closure", "groovy.lang.IntRange", "groovy.lang.Range", "groovy.lang.GString",
            "groovy.transform.Field",
            // Syscall descriptions and results: values that only ever reach the guest through its agents.
            "dev.wirelab.emulator.agent.PollFd", "dev.wirelab.emulator.agent.SyscallResult",
            "dev.wirelab.emulator.agent.Syscall", "dev.wirelab.emulator.agent.Syscall$Value",
            "dev.wirelab.emulator.agent.Syscall$In", "dev.wirelab.emulator.agent.Syscall$Out",
            "dev.wirelab.emulator.agent.Syscall$InOut", "dev.wirelab.emulator.agent.TracedSyscall",
            "dev.wirelab.emulator.agent.PendingCall", "dev.wirelab.emulator.agent.Errno",
            "dev.wirelab.emulator.agent.Sysno", "dev.wirelab.emulator.agent.SockAddr",
            "dev.wirelab.emulator.agent.AgentException", "dev.wirelab.emulator.agent.AgentTimeoutException",
            "dev.wirelab.emulator.agent.Budget",
            "dev.wirelab.emulator.replay.ReplayOptions", "dev.wirelab.emulator.replay.ReplayOptions$Pacing",
            "dev.wirelab.emulator.replay.ReplayReport", "dev.wirelab.emulator.replay.ReplayReport$Outcome");

    /** Packages whose every class a script may name: the lab API and the packet model. */
    static final Set<String> PACKAGES = Set.of("dev.wirelab.emulator.lab", "dev.wirelab.emulator.wire");

    /**
     * Method and property names refused on any receiver: the metaclass and dynamic dispatch,
     * reflection and class loading, processes, evaluation, closures' delegation, the script's
     * binding, and the lab's escape hatches to the raw machine.
     */
    static final Set<String> MEMBERS = Set.of(
            "execute", "metaClass", "getMetaClass", "setMetaClass", "invokeMethod", "getProperty", "setProperty",
            "properties", "getProperties", "class", "getClass", "classLoader", "getClassLoader", "loadClass",
            "defineClass", "forName", "newInstance", "getDeclaredMethod", "getDeclaredMethods", "getMethod",
            "getMethods", "methods", "declaredMethods", "getDeclaredField", "getDeclaredFields", "getField",
            "getFields", "fields", "declaredFields", "getDeclaredConstructor", "getDeclaredConstructors",
            "getConstructor", "getConstructors", "constructors", "declaredConstructors", "invoke", "setAccessible",
            "accessible", "evaluate", "binding", "getBinding", "setBinding", "setVariable",
            "delegate", "getDelegate", "setDelegate", "owner", "getOwner", "thisObject", "getThisObject",
            "resolveStrategy", "setResolveStrategy", "rehydrate", "dehydrate", "with", "identity",
            "toURL", "toURI", "withTraits", "asType", "board", "getBoard", "unicorn", "confineFiles", "lockBudget",
            "setCaptureFile", "captureFile",
            "newReader", "newWriter", "withReader", "withWriter", "withInputStream", "withOutputStream", "exit",
            "halt", "addShutdownHook", "getAt", "putAt", "respondsTo", "hasProperty", "getMetaProperty",
            "getMetaMethod", "getStaticMetaMethod", "pickMethod", "doMethodInvoke", "invokeStaticMethod",
            "getMetaMethods", "metaMethods", "getMetaPropertyValues", "metaPropertyValues", "getModule", "module");

    /** The customizers a sandboxed compile adds: annotations first (before they can run), the rest after resolution. */
    static List<CompilationCustomizer> customizers() {
        return List.of(new Annotations(), new Checks(), new Subscripts());
    }

    /** Refuses annotations at conversion, before {@code @ASTTest}/{@code @Grab} and friends get to run. */
    static final class Annotations extends CompilationCustomizer {
        Annotations() {
            super(CompilePhase.CONVERSION);
        }

        @Override
        public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
            Refusals r = new Refusals(source);
            new ClassCodeVisitorSupport() {
                @Override
                protected SourceUnit getSourceUnit() {
                    return source;
                }

                @Override
                public void visitAnnotations(AnnotatedNode node) {
                    for (AnnotationNode a : node.getAnnotations()) {
                        String n = a.getClassNode().getName();
                        // Annotations without a source line are the compiler's own (@Generated on the script class).
                        if (a.getLineNumber() > 0 && !n.equals("Field") && !n.equals("groovy.transform.Field")) {
                            r.refuse(a, "annotation @" + n);
                        }
                    }
                }

                @Override
                public void visitDeclarationExpression(DeclarationExpression e) {
                    visitAnnotations(e);
                    super.visitDeclarationExpression(e);
                }
            }.visitClass(classNode);
            for (ImportNode i : imports(source.getAST())) {
                visitImportAnnotations(i, r);
            }
            r.failIfAny();
        }

        private static void visitImportAnnotations(ImportNode i, Refusals r) {
            for (AnnotationNode a : i.getAnnotations()) {
                r.refuse(a, "annotation @" + a.getClassNode().getName());
            }
        }
    }

    private static List<ImportNode> imports(ModuleNode m) {
        List<ImportNode> all = new java.util.ArrayList<>(m.getImports());
        all.addAll(m.getStarImports());
        all.addAll(m.getStaticImports().values());
        all.addAll(m.getStaticStarImports().values());
        return all;
    }

    /** The allow-list and the dynamic-door checks, on resolved classes. */
    static final class Checks extends CompilationCustomizer {
        Checks() {
            super(CompilePhase.SEMANTIC_ANALYSIS);
        }

        @Override
        public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
            Refusals r = new Refusals(source);
            Set<String> own = new HashSet<>();
            for (ClassNode c : source.getAST().getClasses()) {
                own.add(c.getName());
            }
            Checker checker = new Checker(source, r, own);
            if (!classNode.isScript()) {
                checker.type(classNode.getUnresolvedSuperClass(), classNode, "extending ");
                for (ClassNode i : classNode.getInterfaces()) {
                    checker.type(i, classNode, "implementing ");
                }
            }
            if (classNode == source.getAST().getClasses().get(0)) {
                for (ImportNode i : imports(source.getAST())) {
                    checker.checkImport(i);
                }
            }
            checker.visitClass(classNode);
            r.failIfAny();
        }
    }

    /**
     * Routes every subscript whose key is not a number literal through {@link SandboxRuntime}
     * (get, put, compound update): after the checks, so the calls it inserts are not the script's.
     */
    static final class Subscripts extends CompilationCustomizer {
        private static final ClassNode RUNTIME = ClassHelper.make(SandboxRuntime.class);

        Subscripts() {
            super(CompilePhase.CANONICALIZATION);
        }

        @Override
        public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
            new org.codehaus.groovy.ast.ClassCodeExpressionTransformer() {
                @Override
                protected SourceUnit getSourceUnit() {
                    return source;
                }

                @Override
                public Expression transform(Expression e) {
                    if (e instanceof org.codehaus.groovy.ast.expr.ClosureExpression c) {
                        c.getCode().visit(this);
                        return c;
                    }
                    if (e instanceof BinaryExpression b && !(e instanceof DeclarationExpression)) {
                        int op = b.getOperation().getType();
                        if (op == Types.ASSIGN && computed(b.getLeftExpression()) instanceof BinaryExpression sub) {
                            return call("putAt", b, transform(sub.getLeftExpression()), transform(sub.getRightExpression()),
                                    transform(b.getRightExpression()));
                        }
                        if (Types.ofType(op, Types.ASSIGNMENT_OPERATOR) && computed(b.getLeftExpression()) instanceof BinaryExpression sub) {
                            BinaryExpression r = new BinaryExpression(updatable(sub), b.getOperation(), transform(b.getRightExpression()));
                            r.setSourcePosition(b);
                            return r;
                        }
                        if (computed(b) != null) {
                            return call("getAt", b, transform(b.getLeftExpression()), transform(b.getRightExpression()));
                        }
                    }
                    if (e instanceof org.codehaus.groovy.ast.expr.PostfixExpression p && computed(p.getExpression()) instanceof BinaryExpression sub) {
                        return new org.codehaus.groovy.ast.expr.PostfixExpression(updatable(sub), p.getOperation());
                    }
                    if (e instanceof org.codehaus.groovy.ast.expr.PrefixExpression p && computed(p.getExpression()) instanceof BinaryExpression sub) {
                        return new org.codehaus.groovy.ast.expr.PrefixExpression(p.getOperation(), updatable(sub));
                    }
                    return super.transform(e);
                }

                /** {@code e} when it is a subscript whose key is not a number literal, else null. */
                private Expression computed(Expression e) {
                    return e instanceof BinaryExpression b && b.getOperation().getType() == Types.LEFT_SQUARE_BRACKET
                            && !(b.getRightExpression() instanceof ConstantExpression k && k.getValue() instanceof Number) ? b : null;
                }

                private Expression updatable(BinaryExpression sub) {
                    Expression target = call("updatable", sub.getLeftExpression(), transform(sub.getLeftExpression()));
                    BinaryExpression r = new BinaryExpression(target, sub.getOperation(), transform(sub.getRightExpression()), sub.isSafe());
                    r.setSourcePosition(sub);
                    return r;
                }

                private Expression call(String name, Expression at, Expression... args) {
                    StaticMethodCallExpression c = new StaticMethodCallExpression(RUNTIME, name, new ArgumentListExpression(args));
                    c.setSourcePosition(at);
                    return c;
                }
            }.visitClass(classNode);
        }
    }

    /** Collects refusals as compile errors on their lines; compiling fails after the class is checked. */
    private static final class Refusals {
        private final SourceUnit source;
        private boolean any;

        Refusals(SourceUnit source) {
            this.source = source;
        }

        void refuse(ASTNode at, String what) {
            any = true;
            source.getErrorCollector().addErrorAndContinue(new SyntaxException("sandbox: " + what
                    + " is not allowed in a sandboxed script (run a script you trust with --trusted)",
                    at.getLineNumber(), at.getColumnNumber()), source);
        }

        void failIfAny() {
            if (any) {
                throw new org.codehaus.groovy.control.MultipleCompilationErrorsException(source.getErrorCollector());
            }
        }
    }

    private static final class Checker extends ClassCodeVisitorSupport {
        private final SourceUnit source;
        private final Refusals r;
        private final Set<String> own;

        Checker(SourceUnit source, Refusals r, Set<String> own) {
            this.source = source;
            this.r = r;
            this.own = own;
        }

        @Override
        protected SourceUnit getSourceUnit() {
            return source;
        }

        boolean allowed(ClassNode t) {
            ClassNode c = t;
            while (c.isArray()) {
                c = c.getComponentType();
            }
            if (ClassHelper.isPrimitiveType(c) || ClassHelper.isDynamicTyped(c) || c.isGenericsPlaceHolder()
                    || own.contains(c.getName())) {
                return true;
            }
            String n = c.getName();
            int dot = n.lastIndexOf('.');
            String pkg = dot < 0 ? "" : n.substring(0, dot);
            return CLASSES.contains(n) || PACKAGES.contains(pkg);
        }

        void type(ClassNode t, ASTNode at, String how) {
            if (t != null && !allowed(t)) {
                r.refuse(at.getLineNumber() > 0 ? at : t, (how.isEmpty() ? "class " : how) + t.getName());
            }
        }

        void checkImport(ImportNode i) {
            if (i.isStar() && !i.isStatic()) {
                String pkg = i.getPackageName().replaceAll("\\.$", "");
                if (!PACKAGES.contains(pkg)) {
                    r.refuse(i, "import " + pkg + ".*");
                }
                return;
            }
            type(i.getType(), i, "import of ");
            if (i.getFieldName() != null && MEMBERS.contains(i.getFieldName())) {
                r.refuse(i, "import of " + i.getFieldName());
            }
        }

        private void name(Expression nameExpr, ASTNode at, String what) {
            if (!(nameExpr instanceof ConstantExpression c) || !(c.getValue() instanceof String s)) {
                r.refuse(at, "a computed " + what + " name");
                return;
            }
            if (MEMBERS.contains(s)) {
                r.refuse(at, what + " '" + s + "'");
            }
        }

        /**
         * The allow-list rules on expressions, one row per kind: the class it names, the member name it
         * uses, or a construct refused outright. Each row runs before the visitor goes into the
         * expression's parts, so the first refusal is the outermost one.
         */
        private void check(Expression e) {
            switch (e) {
                case MethodCallExpression c -> {
                    name(c.getMethod(), c, "method");
                    if (c.getObjectExpression() instanceof VariableExpression v && v.getName().equals("binding")) {
                        r.refuse(c, "the script binding");
                    }
                }
                case StaticMethodCallExpression c -> {
                    if (MEMBERS.contains(c.getMethod())) {
                        r.refuse(c, "method '" + c.getMethod() + "'");
                    }
                    type(c.getOwnerType(), c, "static call on ");
                }
                case AttributeExpression a -> r.refuse(a, "direct field access (.@)");
                case PropertyExpression p -> name(p.getProperty(), p, "property");
                case MethodPointerExpression m -> name(m.getMethodName(), m, "method reference to");
                case ClassExpression c -> type(c.getType(), c, "");
                case ConstructorCallExpression c -> {
                    type(c.getType(), c, "new ");
                    if (c.getType().getName().equals("java.util.Random") && c.getArguments() instanceof TupleExpression t
                            && t.getExpressions().isEmpty()) {
                        r.refuse(c, "an unseeded new Random() (runs must repeat: new Random(42))");
                    }
                }
                case CastExpression c -> type(c.getType(), c, "a cast to ");
                case DeclarationExpression d -> {
                    if (d.isMultipleAssignmentDeclaration()) {
                        d.getTupleExpression().getExpressions().forEach(v -> type(v.getType(), d, "a variable of "));
                    } else {
                        type(d.getVariableExpression().getOriginType(), d, "a variable of ");
                    }
                }
                case BinaryExpression b when b.getOperation().getType() == Types.LEFT_SQUARE_BRACKET
                        && b.getRightExpression() instanceof ConstantExpression c && c.getValue() instanceof String s
                        && MEMBERS.contains(s) -> r.refuse(b, "subscript ['" + s + "']");
                case VariableExpression v when v.getName().equals("binding") || v.getName().equals("metaClass") ->
                        r.refuse(v, "'" + v.getName() + "'");
                default -> { }
            }
        }

        // The visitor meets each kind of expression in its own method; each applies the rules, then goes on.
        // (A declaration reaches visitBinaryExpression through the visitor's own visitDeclarationExpression.)
        @Override public void visitMethodCallExpression(MethodCallExpression e) { check(e); super.visitMethodCallExpression(e); }
        @Override public void visitStaticMethodCallExpression(StaticMethodCallExpression e) { check(e); super.visitStaticMethodCallExpression(e); }
        @Override public void visitPropertyExpression(PropertyExpression e) { check(e); super.visitPropertyExpression(e); }
        @Override public void visitAttributeExpression(AttributeExpression e) { check(e); super.visitAttributeExpression(e); }
        @Override public void visitMethodPointerExpression(MethodPointerExpression e) { check(e); super.visitMethodPointerExpression(e); }
        @Override public void visitClassExpression(ClassExpression e) { check(e); super.visitClassExpression(e); }
        @Override public void visitConstructorCallExpression(ConstructorCallExpression e) { check(e); super.visitConstructorCallExpression(e); }
        @Override public void visitCastExpression(CastExpression e) { check(e); super.visitCastExpression(e); }
        @Override public void visitBinaryExpression(BinaryExpression e) { check(e); super.visitBinaryExpression(e); }
        @Override public void visitVariableExpression(VariableExpression e) { check(e); super.visitVariableExpression(e); }

        @Override
        public void visitField(FieldNode f) {
            type(f.getOriginType(), f, "a field of ");
            super.visitField(f);
        }

        @Override
        protected void visitConstructorOrMethod(MethodNode m, boolean isConstructor) {
            boolean body = m.getName().equals("run") && m.getParameters().length == 0 && m.getDeclaringClass().isScript();
            if (m.getLineNumber() < 1 && !body) {
                return;   // no line: the compiler's own (a script's constructors and main)
            }
            if (!m.isSynthetic()) {
                for (Parameter p : m.getParameters()) {
                    type(p.getOriginType(), p.getLineNumber() > 0 ? p : m, "a parameter of ");
                }
                if (!m.getName().equals("run") && !m.getName().equals("main")) {
                    type(m.getReturnType(), m, "returning ");
                }
            }
            super.visitConstructorOrMethod(m, isConstructor);
        }
    }
}
