package dev.wirelab.emulator.wire;

import java.util.List;

/**
 * A packet could not be decoded. The only exception the {@code wire} parsers
 * throw; it lists what was wrong, field by field.
 */
public final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final transient List<Malformation> malformations;

    public ParseException(List<Malformation> malformations) {
        super(message(malformations));
        this.malformations = List.copyOf(malformations);
    }

    public ParseException(Malformation m) {
        this(List.of(m));
    }

    static ParseException of(String layer, String field, int offset, String problem) {
        return new ParseException(new Malformation(layer, field, offset, problem));
    }

    public List<Malformation> malformations() {
        return malformations;
    }

    private static String message(List<Malformation> ms) {
        if (ms.isEmpty()) {
            return "malformed packet";
        }
        StringBuilder sb = new StringBuilder();
        for (Malformation m : ms) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(m);
        }
        return sb.toString();
    }
}
