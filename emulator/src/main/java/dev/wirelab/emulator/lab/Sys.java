package dev.wirelab.emulator.lab;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;

/**
 * Syscalls run inside the guest by its lab agent: {@code sys.call('socket', 2, 1, 0)}.
 * Delegates to the agent host ({@code dev.wirelab.emulator.agent.AgentHost}) when
 * it is part of this build; until then every call explains that it is missing.
 */
public final class Sys {
    static final String AGENT_HOST = "dev.wirelab.emulator.agent.AgentHost";
    private final Lab lab;
    private Object host;

    Sys(Lab lab) {
        this.lab = lab;
    }

    /** True when this build has the agent host. */
    public boolean isAvailable() {
        try {
            Class.forName(AGENT_HOST);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private Object host() {
        if (!isAvailable()) {
            throw new UnsupportedOperationException("sys.* needs the guest agent host (" + AGENT_HOST
                    + "), which is not in this build yet");
        }
        if (host == null) {
            try {
                Class<?> c = Class.forName(AGENT_HOST);
                host = c.getMethod("attach", dev.wirelab.emulator.board.Board.class).invoke(null, lab.requireBoard());
            } catch (ReflectiveOperationException e) {
                throw new UnsupportedOperationException("cannot attach the agent host: " + e, e);
            }
        }
        return host;
    }

    /** Calls the agent host's method {@code name} with {@code args} (e.g. socket, bind, listen, connect). */
    public Object call(String name, Object... args) {
        Object h = host();
        for (Method m : h.getClass().getMethods()) {
            if (m.getName().equals(name) && m.getParameterCount() == args.length) {
                try {
                    return m.invoke(h, args);
                } catch (IllegalArgumentException e) {
                    continue;
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("sys." + name + ": " + e.getCause(), e.getCause());
                }
            }
        }
        throw new IllegalArgumentException("the agent host has no " + name + " with " + args.length + " arguments");
    }

    /** Syscalls traced by the agent host (empty without it). */
    public List<Object> trace() {
        if (!isAvailable() || host == null) {
            return List.of();
        }
        Object t = call("trace");
        return t instanceof List<?> l ? new ArrayList<>(l) : List.of();
    }

    @Override
    public String toString() {
        return isAvailable() ? "sys: agent host attached on first call (sys.call(name, args...))"
                : "sys: not available in this build (needs " + AGENT_HOST + ")";
    }
}
