package dev.wirelab.emulator.cpu;

import java.util.ArrayList;
import java.util.List;

/**
 * Routes trapped system-register accesses to the device that owns the
 * register. The packed encoding is 16 bits, so the route is a flat table
 * filled lazily: a lookup on every MRS/MSR is one array load.
 */
public final class SysRegBus {
    private static final SysRegHandler NONE = new SysRegHandler() {
        @Override
        public boolean handles(SysRegId reg) {
            return false;
        }

        @Override
        public long read(SysRegId reg) {
            return 0;
        }

        @Override
        public void write(SysRegId reg, long value) { }
    };

    private final List<SysRegHandler> handlers = new ArrayList<>();
    private final SysRegHandler[] table = new SysRegHandler[1 << 16];

    public void add(SysRegHandler h) {
        handlers.add(h);
        java.util.Arrays.fill(table, null);
    }

    /** The handler for {@code packed}, or null when the register is Unicorn's own. */
    public SysRegHandler route(int packed) {
        SysRegHandler h = table[packed];
        if (h == null) {
            h = NONE;
            SysRegId id = SysRegId.fromPacked(packed);
            for (SysRegHandler c : handlers) {
                if (c.handles(id)) {
                    h = c;
                    break;
                }
            }
            table[packed] = h;
        }
        return h == NONE ? null : h;
    }
}
