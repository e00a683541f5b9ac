package dev.wirelab.fuzz.campaign;

import dev.wirelab.emulator.coverage.EdgeMap;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Guest edges into libFuzzer through Jazzer's {@code ExtraCountersTracker} (DESIGN.md: bound by
 * method handle, since it lives in Jazzer's bootstrap jar). Without Jazzer it does nothing.
 */
final class GuestCounters {
    /** Our counter range id ("WO"). */
    private static final int ID = 0x574f;
    private static final MethodHandle ENSURE;
    private static final MethodHandle SET;

    static {
        MethodHandle e = null;
        MethodHandle s = null;
        try {
            Class<?> c = Class.forName("com.code_intelligence.jazzer.runtime.ExtraCountersTracker", true,
                    ClassLoader.getSystemClassLoader());
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            e = l.findStatic(c, "ensureCountersAllocated", MethodType.methodType(void.class, int.class, int.class));
            s = l.findStatic(c, "setCounter", MethodType.methodType(void.class, int.class, int.class, byte.class));
        } catch (ReflectiveOperationException | LinkageError x) {
            // not under Jazzer: coverage stays in the edge map
        }
        ENSURE = e;
        SET = s;
    }

    private final EdgeMap edges;

    GuestCounters(EdgeMap edges) {
        this.edges = edges;
        if (ENSURE != null) {
            try {
                ENSURE.invokeExact(ID, edges.size());
            } catch (Throwable t) {
                throw new IllegalStateException("Jazzer refused " + edges.size() + " extra counters", t);
            }
        }
    }

    void publish() {
        if (SET != null) {
            edges.forEachHit((index, count) -> {
                try {
                    SET.invokeExact(ID, index, (byte) count);
                } catch (Throwable t) {
                    throw new IllegalStateException("ExtraCountersTracker.setCounter failed", t);
                }
            });
        }
    }
}
