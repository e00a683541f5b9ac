package dev.wirelab.emulator.pkt;

import java.util.List;

/** A parsed script: its {@code --name=value} options and its events in order. */
public record PktScript(String file, List<Option> options, List<PktEvent> events) {
    public record Option(String name, String value, int line) { }

    public PktScript {
        options = List.copyOf(options);
        events = List.copyOf(events);
    }

    /** The value of option {@code name}, or null. */
    public String option(String name) {
        String v = null;
        for (Option o : options) {
            if (o.name().equals(name)) {
                v = o.value();
            }
        }
        return v;
    }
}
