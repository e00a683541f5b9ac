package dev.wirelab.emulator.boot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.Collections;

/**
 * Function, object and assembly-label symbols of a guest image, for turning a PC into
 * "func+0x1c" and a name into an address. Lookups are binary searches over
 * arrays sorted by address; the table is immutable.
 */
public final class SymbolTable {

    /** Symbol kind, from the ELF {@code st_info} type; LABEL is an untyped (assembly) symbol. */
    public enum Kind { FUNC, OBJECT, LABEL }

    /**
     * One symbol.
     *
     * @param name    symbol name
     * @param address value ({@code st_value}), a virtual address
     * @param size    size in bytes ({@code st_size}); 0 if the object file did not say
     * @param kind    FUNC, OBJECT or LABEL
     */
    public record Symbol(String name, long address, long size, Kind kind) { }

    private static final SymbolTable EMPTY = new SymbolTable(List.of());
    /** How far back {@link #describe} looks for an enclosing symbol among overlapping ones. */
    private static final int MAX_BACKTRACK = 64;

    private final long[] starts;
    private final long[] ends;     // exclusive; for size-0 symbols: the next symbol's start (or start + 1)
    private final String[] byAddr;
    private final Map<String, Long> byName;
    private final SortedSet<String> names;

    private SymbolTable(Collection<Symbol> symbols) {
        List<Symbol> sorted = new ArrayList<>(symbols);
        // Unsigned address order; among equal addresses prefer FUNC, then OBJECT, then larger size, then name.
        sorted.sort(Comparator.<Symbol>comparingLong(s -> s.address() ^ Long.MIN_VALUE)
                .thenComparing(Symbol::kind)
                .thenComparing(Comparator.comparingLong(Symbol::size).reversed())
                .thenComparing(Symbol::name));
        int n = sorted.size();
        starts = new long[n];
        ends = new long[n];
        byAddr = new String[n];
        byName = new HashMap<>();
        TreeSet<String> nameSet = new TreeSet<>();
        for (int i = 0; i < n; i++) {
            Symbol s = sorted.get(i);
            starts[i] = s.address();
            byAddr[i] = s.name();
            byName.putIfAbsent(s.name(), s.address());
            nameSet.add(s.name());
        }
        for (int i = 0; i < n; i++) {
            long size = sorted.get(i).size();
            if (size > 0) {
                ends[i] = starts[i] + size;
            } else {
                // An assembly label without .size: it extends to the next symbol at a higher address.
                long next = starts[i] + 1;
                for (int j = i + 1; j < n; j++) {
                    if (starts[j] != starts[i]) {
                        next = starts[j];
                        break;
                    }
                }
                ends[i] = next;
            }
        }
        names = Collections.unmodifiableSortedSet(nameSet);
    }

    /** A table over the given symbols. */
    public static SymbolTable of(Collection<Symbol> symbols) {
        return symbols.isEmpty() ? EMPTY : new SymbolTable(symbols);
    }

    /** The table with no symbols. */
    public static SymbolTable empty() {
        return EMPTY;
    }

    /** Number of symbols. */
    public int size() {
        return starts.length;
    }

    /** "name" or "name+0x1c" for the symbol containing {@code addr}, or null if none does. */
    public String describe(long addr) {
        int i = lastStartAtOrBelow(addr);
        for (int k = 0; i >= 0 && k < MAX_BACKTRACK; i--, k++) {
            if (Long.compareUnsigned(addr, ends[i]) < 0) {
                long off = addr - starts[i];
                return off == 0 ? byAddr[i] : byAddr[i] + "+0x" + Long.toHexString(off);
            }
        }
        return null;
    }

    /** The address of the symbol called {@code name}, if there is one. */
    public OptionalLong address(String name) {
        Long a = byName.get(name);
        return a == null ? OptionalLong.empty() : OptionalLong.of(a);
    }

    /** All symbol names, sorted, for completion. */
    public SortedSet<String> names() {
        return names;
    }

    private int lastStartAtOrBelow(long addr) {
        int lo = 0;
        int hi = starts.length - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(starts[mid], addr) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    @Override
    public String toString() {
        return "SymbolTable[" + starts.length + " symbols]";
    }
}
