package dev.wirelab.cli.shell;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * The interactive shell: JLine line editing, history across sessions,
 * completion, multi-line input, colours and a status line after each input;
 * Ctrl-C stops what runs (guest or script line) and keeps the state; Ctrl-D exits.
 */
public final class Shell {
    private Shell() { }

    public static int run(Path historyFile, boolean boot, long heapLimit) throws IOException {
        return run(historyFile, boot, heapLimit, null);
    }

    /** ... and {@code capture}: every frame of the session's last boot to that pcapng (null: none). */
    public static int run(Path historyFile, boolean boot, long heapLimit, Path capture) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).name("wirelab").build()) {
            PrintStream out = new PrintStream(terminal.output(), true, terminal.encoding());
            try (ShellSession session = new ShellSession(out, heapLimit)) {
                session.lab().setCaptureFile(capture);
                DefaultParser parser = new DefaultParser();
                parser.setEofOnUnclosedBracket(DefaultParser.Bracket.CURLY, DefaultParser.Bracket.ROUND,
                        DefaultParser.Bracket.SQUARE);
                parser.setQuoteChars(new char[0]);
                parser.setEscapeChars(new char[0]);
                LineReader reader = LineReaderBuilder.builder().appName("wirelab").terminal(terminal).parser(parser)
                        .completer(new LabCompleter(session.host()))
                        .variable(LineReader.HISTORY_FILE, historyFile)
                        .variable(LineReader.SECONDARY_PROMPT_PATTERN, "%P.. ")
                        .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                        .option(LineReader.Option.AUTO_FRESH_LINE, true)
                        .build();
                terminal.handle(Terminal.Signal.INT, s -> session.interrupt());
                say(terminal, "wirelab shell: Groovy with the lab bound (help, Tab, Ctrl-C stops, Ctrl-D exits)",
                        AttributedStyle.BOLD);
                if (boot) {
                    show(terminal, session, session.eval("lab.boot()"));
                }
                StringBuilder pending = new StringBuilder();
                while (true) {
                    String line;
                    try {
                        line = reader.readLine(pending.isEmpty() ? "wirelab> " : "      .. ");
                    } catch (UserInterruptException e) {
                        pending.setLength(0);
                        continue;
                    } catch (EndOfFileException e) {
                        break;
                    }
                    pending.append(pending.isEmpty() ? "" : "\n").append(line);
                    ShellSession.Outcome o = session.eval(pending.toString());
                    if (o.kind() == ShellSession.Outcome.Kind.INCOMPLETE) {
                        continue;
                    }
                    pending.setLength(0);
                    if (o.kind() == ShellSession.Outcome.Kind.EXIT) {
                        break;
                    }
                    show(terminal, session, o);
                }
                reader.getHistory().save();
                ScriptRunner.finishCapture(session.lab(), out, out);
            }
        }
        return 0;
    }

    private static void show(Terminal terminal, ShellSession session, ShellSession.Outcome o) {
        String console = session.newConsoleOutput();
        if (!console.isEmpty()) {
            say(terminal, console.replace("\r", "").stripTrailing(), AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
        }
        switch (o.kind()) {
            case VALUE -> say(terminal, o.text(), AttributedStyle.DEFAULT);
            case ERROR -> say(terminal, "error: " + o.text(), AttributedStyle.DEFAULT.foreground(AttributedStyle.RED).bold());
            default -> { }
        }
        say(terminal, "[" + session.lab().getStatus() + "]", AttributedStyle.DEFAULT.foreground(AttributedStyle.CYAN).faint());
    }

    private static void say(Terminal terminal, String text, AttributedStyle style) {
        terminal.writer().println(new AttributedString(text, style).toAnsi(terminal));
        terminal.flush();
    }
}
