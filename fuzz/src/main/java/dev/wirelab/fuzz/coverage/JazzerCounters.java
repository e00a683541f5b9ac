package dev.wirelab.fuzz.coverage;

import dev.wirelab.emulator.coverage.EdgeMap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Feeds the guest edge map into libFuzzer through Jazzer's {@code ExtraCountersTracker}, once per
 * execution (every fuzz entry point — the targets, the campaign — uses this one). The tracker lives in Jazzer's bootstrap jar (loaded by the bootstrap class loader when
 * Jazzer runs), so it is bound through method handles; without Jazzer this is a no-op.
 */
public final class JazzerCounters {
    /** Our counter range id ("WL"). */
    static final int ID = 0x574c;
    private static final MethodHandle ENSURE;
    private static final MethodHandle SET;

    static {
        MethodHandle ensure = null;
        MethodHandle set = null;
        try {
            Class<?> c = Class.forName("com.code_intelligence.jazzer.runtime.ExtraCountersTracker", true,
                    ClassLoader.getSystemClassLoader());
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            ensure = l.findStatic(c, "ensureCountersAllocated", MethodType.methodType(void.class, int.class, int.class));
            set = l.findStatic(c, "setCounter", MethodType.methodType(void.class, int.class, int.class, byte.class));
        } catch (ReflectiveOperationException | LinkageError e) {
            // not running under Jazzer (plain JUnit, a unit test): coverage stays in the edge map
        }
        ENSURE = ensure;
        SET = set;
    }

    private final EdgeMap edges;

    public JazzerCounters(EdgeMap edges) {
        this.edges = edges;
        if (ENSURE != null) {
            try {
                ENSURE.invokeExact(ID, edges.size());
            } catch (Throwable t) {
                throw new IllegalStateException("Jazzer refused " + edges.size() + " extra counters: " + t, t);
            }
        }
    }

    public static boolean available() {
        return SET != null;
    }

    /** Copies this execution's hit counters to libFuzzer. */
    public void publish() {
        if (SET == null) {
            return;
        }
        edges.forEachHit((index, count) -> {
            try {
                SET.invokeExact(ID, index, (byte) count);
            } catch (Throwable t) {
                throw new IllegalStateException("ExtraCountersTracker.setCounter failed", t);
            }
        });
    }
}
