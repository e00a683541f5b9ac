package dev.wirelab.cli;

import org.jline.terminal.Attributes;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

import java.io.IOException;
import java.io.InputStream;

/** The user's terminal in raw mode (every key as typed, no echo), restored when the process exits. */
final class RawTerminal {
    private RawTerminal() { }

    /** The terminal's key stream, or null (with a note) when it cannot be put in raw mode. */
    static InputStream open(Io io) {
        try {
            Terminal t = TerminalBuilder.builder().system(true).name("wirelab").signalHandler(Terminal.SignalHandler.SIG_IGN)
                    .build();
            Attributes saved = t.enterRawMode();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                t.setAttributes(saved);
                try {
                    t.close();
                } catch (IOException e) {
                    // the terminal is going away with the process
                }
            }));
            io.err().println("wirelab: console is interactive; Ctrl-A X quits");
            return t.input();
        } catch (IOException | RuntimeException e) {
            io.err().println("wirelab: the terminal cannot be made interactive (" + e.getMessage() + "); keys are not sent");
            return null;
        }
    }
}
