package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.cpu.Reg;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The CPU's registers as a map ({@code regs.x0}, {@code regs.pc = 0x...}, {@code regs['sp']}):
 * x0..x30, lr (x30), sp, pc, pstate. Reading an unknown name is an error, not null.
 */
public final class Regs extends AbstractMap<String, Long> {
    private final Lab lab;

    Regs(Lab lab) {
        this.lab = lab;
    }

    private static Reg id(Object name) {
        return Reg.named(String.valueOf(name)).orElseThrow(() -> new IllegalArgumentException(
                "no register '" + name + "': use x0..x30, lr, fp, sp, pc, pstate"));
    }

    @Override
    public Long get(Object name) {
        return lab.requireBoard().reg(id(name));
    }

    @Override
    public Long put(String name, Long value) {
        Reg id = id(name);
        Long old = lab.requireBoard().reg(id);
        lab.requireBoard().setReg(id, value);
        return old;
    }

    @Override
    public boolean containsKey(Object name) {
        try {
            id(name);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (int i = 0; i <= 30; i++) {
            m.put("x" + i, get("x" + i));
        }
        m.put("sp", get("sp"));
        m.put("pc", get("pc"));
        m.put("pstate", get("pstate"));
        return m.entrySet();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (var e : entrySet()) {
            sb.append(String.format("%-6s %016x", e.getKey(), e.getValue())).append(++col % 4 == 0 ? "\n" : "  ");
        }
        sb.append("\npc is ").append(lab.requireBoard().describe(get("pc")));
        return sb.toString();
    }
}
