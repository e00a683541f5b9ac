package dev.wirelab.emulator.lab;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest panic report as the default guest prints it (guest/README.md):
 * {@code !!! PANIC !!!} then Location, Message, Thread, Registers lines.
 *
 * @param location "tcp_in.c:123"
 * @param message  the Message line
 * @param thread   "net (tid 2)"
 * @param text     the whole report as printed
 */
public record Panic(String location, String message, String thread, String text) {
    private static final Pattern FIELD = Pattern.compile("^(Location|Message|Thread|Registers): ?(.*)$", Pattern.MULTILINE);

    /** The first panic report in a console transcript, or null. */
    public static Panic find(String console) {
        int at = console.indexOf("!!! PANIC !!!");
        if (at < 0) {
            return null;
        }
        String rest = console.substring(at).replace("\r", "");
        String[] lines = rest.split("\n");
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < lines.length && i < 5; i++) {
            text.append(lines[i]).append('\n');
        }
        String loc = "", msg = "", thread = "";
        Matcher m = FIELD.matcher(text);
        while (m.find()) {
            switch (m.group(1)) {
                case "Location" -> loc = m.group(2);
                case "Message" -> msg = m.group(2);
                case "Thread" -> thread = m.group(2);
                default -> { }
            }
        }
        return new Panic(loc, msg, thread, text.toString().strip());
    }

    /** The bug title a tracker would use: "message (location)". */
    public String title() {
        return message + (location.isEmpty() ? "" : " (" + location + ")");
    }
}
