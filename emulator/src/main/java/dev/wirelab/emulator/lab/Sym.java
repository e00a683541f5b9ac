package dev.wirelab.emulator.lab;

import dev.wirelab.emulator.boot.SymbolTable;

import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The loaded image's symbols: {@code sym.tcp_input} is an address, {@code sym.at(addr)} names one. */
public final class Sym extends AbstractMap<String, Long> {
    private final Lab lab;

    Sym(Lab lab) {
        this.lab = lab;
    }

    private SymbolTable table() {
        return lab.isBooted() ? lab.getBoard().symbols() : SymbolTable.empty();
    }

    /** The address of {@code name}; an error naming close matches when there is no such symbol. */
    @Override
    public Long get(Object name) {
        var a = table().address(String.valueOf(name));
        if (a.isPresent()) {
            return a.getAsLong();
        }
        String n = String.valueOf(name);
        var close = table().names().stream().filter(s -> s.contains(n) || n.contains(s) && s.length() > 3).limit(5).toList();
        throw new IllegalArgumentException("no symbol '" + n + "' in " + lab.getImage()
                + (close.isEmpty() ? "" : " (similar: " + String.join(", ", close) + ")"));
    }

    @Override
    public boolean containsKey(Object name) {
        return table().address(String.valueOf(name)).isPresent();
    }

    /** "tcp_input+0x10" for an address (its hex when no symbol covers it). */
    public String at(long address) {
        String s = table().describe(address);
        return s == null ? String.format("0x%x", address) : s;
    }

    public Set<String> names() {
        return table().names();
    }

    @Override
    public Set<String> keySet() {
        return table().names();
    }

    @Override
    public Set<Entry<String, Long>> entrySet() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (String n : table().names()) {
            m.put(n, table().address(n).getAsLong());
        }
        return m.entrySet();
    }

    @Override
    public int size() {
        return table().names().size();
    }

    @Override
    public String toString() {
        return table().size() + " symbols of " + lab.getImage() + " (sym.NAME, sym.at(ADDR), sym.names())";
    }
}
