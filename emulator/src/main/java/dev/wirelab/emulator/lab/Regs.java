package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.unicorn.Arm64Reg;

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

    private static int id(Object name) {
        String n = String.valueOf(name).toLowerCase(java.util.Locale.ROOT);
        switch (n) {
            case "pc": return Arm64Reg.PC;
            case "sp": return Arm64Reg.SP;
            case "lr": return Arm64Reg.x(30);
            case "fp": return Arm64Reg.x(29);
            case "pstate": return Arm64Reg.PSTATE;
            default:
                if (n.matches("x([0-9]|[12][0-9]|30)")) {
                    return Arm64Reg.x(Integer.parseInt(n.substring(1)));
                }
                throw new IllegalArgumentException("no register '" + name + "': use x0..x30, lr, fp, sp, pc, pstate");
        }
    }

    @Override
    public Long get(Object name) {
        return lab.requireBoard().unicorn().readReg(id(name));
    }

    @Override
    public Long put(String name, Long value) {
        int id = id(name);
        Long old = lab.requireBoard().unicorn().readReg(id);
        lab.requireBoard().unicorn().writeReg(id, value);
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
