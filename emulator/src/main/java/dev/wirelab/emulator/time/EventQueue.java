package dev.wirelab.emulator.time;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Host events on one queue ordered by virtual time: timer deadlines, frames
 * arriving on the wire, script actions. Ties break by insertion order, so the
 * order of events never depends on anything but the run itself.
 */
public final class EventQueue {
    /** Something that happens at a virtual instant. */
    @FunctionalInterface
    public interface Action {
        void fire(long tick);
    }

    /** A scheduled event; cancel it through {@link EventQueue#cancel}. */
    public static final class Event implements Comparable<Event> {
        private final long tick;
        private final long seq;
        private final String label;
        private final Action action;
        private boolean cancelled;

        private Event(long tick, long seq, String label, Action action) {
            this.tick = tick;
            this.seq = seq;
            this.label = label;
            this.action = action;
        }

        public long tick() {
            return tick;
        }

        public String label() {
            return label;
        }

        public boolean cancelled() {
            return cancelled;
        }

        @Override
        public int compareTo(Event o) {
            int c = Long.compare(tick, o.tick);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }

        @Override
        public String toString() {
            return label + "@" + tick;
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long nextSeq;
    private java.util.function.LongConsumer scheduleListener = tick -> { };

    /** Told the deadline of every newly scheduled event (the board uses it to cut a running slice short). */
    public void onSchedule(java.util.function.LongConsumer l) {
        this.scheduleListener = l;
    }

    public Event schedule(long tick, String label, Action action) {
        if (tick < 0) {
            throw new IllegalArgumentException("event '" + label + "' at negative time " + tick);
        }
        Event e = new Event(tick, nextSeq++, label, action);
        queue.add(e);
        scheduleListener.accept(tick);
        return e;
    }

    public void cancel(Event e) {
        if (e != null && !e.cancelled) {
            e.cancelled = true;
            queue.remove(e);
        }
    }

    /**
     * Cancels every pending event {@code which} selects, without sorting the queue (restores drop
     * a device's events from a restored queue this way before scheduling afresh).
     */
    public void cancelIf(java.util.function.Predicate<Event> which) {
        queue.removeIf(e -> which.test(e) && (e.cancelled = true));
    }

    /** The earliest pending deadline, or {@link Long#MAX_VALUE} when nothing is pending. */
    public long nextDeadline() {
        Event e = queue.peek();
        return e == null ? Long.MAX_VALUE : e.tick;
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** Fires every event due at or before {@code now}, in order; returns how many fired. */
    public int runDue(long now) {
        int fired = 0;
        while (!queue.isEmpty() && queue.peek().tick <= now) {
            Event e = queue.poll();
            e.action.fire(e.tick);
            fired++;
        }
        return fired;
    }

    public List<Event> pending() {
        List<Event> l = new ArrayList<>(queue);
        l.sort(null);
        return l;
    }

    public State save() {
        return new State(pending(), nextSeq);
    }

    public void restore(State s) {
        queue.clear();
        for (Event e : s.events) {
            e.cancelled = false;
            queue.add(e);
        }
        nextSeq = s.nextSeq;
    }

    public void clear() {
        queue.clear();
    }

    /** Events are immutable apart from cancellation, so a snapshot holds them by reference. */
    public record State(List<Event> events, long nextSeq) {
        public State {
            events = List.copyOf(events);
        }
    }
}
