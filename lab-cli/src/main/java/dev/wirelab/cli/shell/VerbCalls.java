package dev.wirelab.cli.shell;

import org.codehaus.groovy.ast.ClassCodeExpressionTransformer;
import org.codehaus.groovy.ast.ClassNode;
import org.codehaus.groovy.ast.MethodNode;
import org.codehaus.groovy.ast.expr.ClosureExpression;
import org.codehaus.groovy.ast.expr.Expression;
import org.codehaus.groovy.ast.expr.MethodCallExpression;
import org.codehaus.groovy.ast.expr.VariableExpression;
import org.codehaus.groovy.classgen.GeneratorContext;
import org.codehaus.groovy.control.CompilePhase;
import org.codehaus.groovy.control.SourceUnit;
import org.codehaus.groovy.control.customizers.CompilationCustomizer;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Makes the lab's verbs real calls on {@code lab}: a bare {@code run(1000)} or {@code step()} in a
 * script becomes {@code lab.run(1000)} at compile time. Without it a bare {@code run()} resolved to
 * the script's own {@code run()} (its body) and restarted the script. A method the script declares
 * itself with a verb's name keeps its meaning.
 */
final class VerbCalls extends CompilationCustomizer {
    private final Set<String> verbs;

    VerbCalls(List<String> verbs) {
        super(CompilePhase.CONVERSION);
        this.verbs = Set.copyOf(verbs);
    }

    @Override
    public void call(SourceUnit source, GeneratorContext context, ClassNode classNode) {
        Set<String> own = new HashSet<>();
        for (MethodNode m : classNode.getMethods()) {
            if (!m.getName().equals("run") && !m.getName().equals("main")) {
                own.add(m.getName());
            }
        }
        new ClassCodeExpressionTransformer() {
            @Override
            protected SourceUnit getSourceUnit() {
                return source;
            }

            @Override
            public Expression transform(Expression e) {
                if (e instanceof ClosureExpression c) {
                    c.getCode().visit(this);
                    return c;
                }
                if (e instanceof MethodCallExpression call && call.isImplicitThis() && verbs.contains(call.getMethodAsString())
                        && !own.contains(call.getMethodAsString())) {
                    MethodCallExpression onLab = new MethodCallExpression(new VariableExpression("lab"), call.getMethodAsString(),
                            transform(call.getArguments()));
                    onLab.setSourcePosition(call);
                    onLab.setImplicitThis(false);
                    onLab.setSafe(false);
                    return onLab;
                }
                return super.transform(e);
            }
        }.visitClass(classNode);
    }
}
