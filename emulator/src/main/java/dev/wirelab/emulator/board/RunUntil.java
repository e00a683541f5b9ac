package dev.wirelab.emulator.board;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

/**
 * The stop conditions of one run, built fluently and immutable:
 * {@code board.run(RunUntil.budget(1_000_000).at("tcp_input").time(deadline))}.
 * Whatever comes first ends the run; the {@link Stop} says which.
 *
 * <p>Conditions ({@link #when}) and console patterns ({@link #console(Pattern)})
 * are host-side tests. They are looked at before the run starts, after every
 * frame the guest sends, every line it completes on its console, every lab call
 * it makes, every batch of host events, and at least every {@link #checkEvery}
 * instructions counted from the run's start — never on the host clock, so where
 * a run ends is part of the deterministic run.
 *
 * @param budget          instructions this run may retire ({@link Long#MAX_VALUE}: no own limit)
 * @param tick            absolute virtual time to stop at ({@link Long#MAX_VALUE}: none)
 * @param addresses       breakpoints for this run only
 * @param symbols         ELF symbols to stop at, for this run only
 * @param printed         exact console text: the run stops at the block after its last byte (null: none)
 * @param console         a pattern over the console output printed since the run began (null: none)
 * @param conditions      host conditions
 * @param checkEvery      cadence for conditions and patterns, in instructions
 * @param userBreakpoints false: breakpoints the host added to the board do not stop this run (waits that
 *                        are not the user's own steps, such as a syscall inside the guest)
 */
public record RunUntil(long budget, long tick, List<Long> addresses, List<String> symbols, String printed,
                       Pattern console, List<Condition> conditions, long checkEvery, boolean userBreakpoints) {
    /** Conditions are looked at least this often (instructions) when nothing else happens. */
    public static final long DEFAULT_CHECK_EVERY = 2_000_000;

    /** A named host condition. */
    public record Condition(String name, BooleanSupplier holds) {
        public Condition {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(holds, "holds");
        }
    }

    public RunUntil {
        if (budget < 0) {
            throw new IllegalArgumentException("negative instruction budget " + budget);
        }
        if (checkEvery <= 0) {
            throw new IllegalArgumentException("condition cadence must be positive: " + checkEvery);
        }
        if (printed != null && printed.isEmpty()) {
            throw new IllegalArgumentException("empty console text to wait for");
        }
        addresses = List.copyOf(addresses);
        symbols = List.copyOf(symbols);
        conditions = List.copyOf(conditions);
    }

    /** At most {@code instructions} more instructions (and whatever else is added). */
    public static RunUntil budget(long instructions) {
        return new RunUntil(instructions, Long.MAX_VALUE, List.of(), List.of(), null, null, List.of(), DEFAULT_CHECK_EVERY,
                true);
    }

    /** No instruction limit of its own (the board's {@link RunGuard} still applies). */
    public static RunUntil unbounded() {
        return budget(Long.MAX_VALUE);
    }

    public RunUntil withBudget(long instructions) {
        return new RunUntil(instructions, tick, addresses, symbols, printed, console, conditions, checkEvery, userBreakpoints);
    }

    /** Stop before the instruction at {@code address} executes. */
    public RunUntil at(long address) {
        List<Long> a = new ArrayList<>(addresses);
        a.add(address);
        return new RunUntil(budget, tick, a, symbols, printed, console, conditions, checkEvery, userBreakpoints);
    }

    /** Stop before the ELF symbol {@code symbol} executes (resolved when the run starts). */
    public RunUntil at(String symbol) {
        List<String> s = new ArrayList<>(symbols);
        s.add(Objects.requireNonNull(symbol, "symbol"));
        return new RunUntil(budget, tick, addresses, s, printed, console, conditions, checkEvery, userBreakpoints);
    }

    /** Stop right after the guest prints {@code text} (byte-exact, at the next block boundary). */
    public RunUntil printed(String text) {
        return new RunUntil(budget, tick, addresses, symbols, Objects.requireNonNull(text, "text"), console, conditions,
                checkEvery, userBreakpoints);
    }

    /** Stop when the output printed since the run began matches {@code pattern} (checked like a condition). */
    public RunUntil console(Pattern pattern) {
        return new RunUntil(budget, tick, addresses, symbols, printed, Objects.requireNonNull(pattern, "pattern"),
                conditions, checkEvery, userBreakpoints);
    }

    /** Stop when virtual time reaches {@code absoluteTick}. */
    public RunUntil time(long absoluteTick) {
        return new RunUntil(budget, Math.min(tick, absoluteTick), addresses, symbols, printed, console, conditions,
                checkEvery, userBreakpoints);
    }

    /** Stop when {@code holds} (named {@code name} in the stop). */
    public RunUntil when(String name, BooleanSupplier holds) {
        List<Condition> c = new ArrayList<>(conditions);
        c.add(new Condition(name, holds));
        return new RunUntil(budget, tick, addresses, symbols, printed, console, c, checkEvery, userBreakpoints);
    }

    /** Look at conditions at least every {@code instructions} (counted from the run's start). */
    public RunUntil checkEvery(long instructions) {
        return new RunUntil(budget, tick, addresses, symbols, printed, console, conditions, instructions, userBreakpoints);
    }

    /** Breakpoints the host added to the board do not end this run (only its own {@link #at} ones do). */
    public RunUntil ignoringUserBreakpoints() {
        return new RunUntil(budget, tick, addresses, symbols, printed, console, conditions, checkEvery, false);
    }

    /** True when something besides budget, time and breakpoints is looked at on the host side. */
    boolean hasHostChecks() {
        return console != null || !conditions.isEmpty();
    }
}
