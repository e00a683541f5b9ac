package dev.wirelab.emulator.lab;

import java.util.List;

/** The guest console: what it printed, and input for it. */
public final class LabConsole {
    private final Lab lab;

    LabConsole(Lab lab) {
        this.lab = lab;
    }

    /** Everything the guest printed since reset. */
    public String getText() {
        return lab.isBooted() ? lab.getBoard().console().text() : "";
    }

    public List<String> getLines() {
        return getText().replace("\r", "").lines().toList();
    }

    /** The last {@code n} lines. */
    public List<String> last(int n) {
        List<String> l = getLines();
        return l.subList(Math.max(0, l.size() - n), l.size());
    }

    public boolean contains(String text) {
        return getText().contains(text);
    }

    /** Queues bytes for the guest to read from its UART. */
    public void input(String text) {
        lab.requireBoard().console().input(text);
    }

    @Override
    public String toString() {
        return getText();
    }
}
