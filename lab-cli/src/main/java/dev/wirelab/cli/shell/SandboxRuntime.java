package dev.wirelab.cli.shell;

import groovy.lang.Range;
import org.codehaus.groovy.runtime.InvokerHelper;

import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * The run-time half of {@link ScriptSandbox}. A subscript by a computed key ({@code obj[k]}) is a
 * property access by name whenever {@code obj} is not a container indexed by {@code k} (Groovy's
 * {@code getAt(Object, String)}; on a list, the named property of every element), which no
 * compile-time check can see. Sandboxed scripts reach every such subscript through these methods:
 * maps take any key, lists, arrays, strings, bit sets and matchers take indexes, and nothing else
 * is subscripted.
 */
public final class SandboxRuntime {
    private SandboxRuntime() { }

    /** {@code target[key]}, when that is a container access. */
    public static Object getAt(Object target, Object key) {
        return InvokerHelper.invokeMethod(check(target, key), "getAt", key);
    }

    /** {@code target[key] = value}, when that is a container access; returns {@code value}. */
    public static Object putAt(Object target, Object key, Object value) {
        InvokerHelper.invokeMethod(check(target, key), "putAt", new Object[] {key, value});
        return value;
    }

    /** The target of a compound update ({@code m[k] += 1}, {@code m[k]++}): a map or an indexed container. */
    public static Object updatable(Object target) {
        if (target instanceof Map || indexed(target)) {
            return target;
        }
        throw refused(target);
    }

    private static Object check(Object target, Object key) {
        if (target == null || target instanceof Map) {
            return target;
        }
        boolean index = key instanceof Number || key instanceof Range || key instanceof Collection || key instanceof int[];
        if (index && indexed(target)) {
            return target;
        }
        throw refused(target);
    }

    private static boolean indexed(Object t) {
        return t instanceof List || t instanceof CharSequence || t instanceof BitSet || t instanceof Matcher
                || t instanceof Range || t != null && t.getClass().isArray();
    }

    private static SecurityException refused(Object target) {
        return new SecurityException("sandbox: a subscript by a computed key on a " + target.getClass().getSimpleName()
                + " is not allowed in a sandboxed script (it reads a property by name); index a list or a map, "
                + "or run a script you trust with --trusted");
    }
}
