package dev.wirelab.cli;

import java.io.IOException;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * A long-running command's progress: one status line kept at the bottom of a terminal (JLine's
 * {@link Status}), or a plain line every {@code plainEverySeconds} when the output is not a
 * terminal (logs, CI), so the log stays readable.
 */
final class ProgressLine implements AutoCloseable {
    private final Io io;
    private final Terminal terminal;
    private final Status status;
    private final double plainEvery;
    private double lastPlain = Double.NEGATIVE_INFINITY;

    private ProgressLine(Io io, Terminal terminal, Status status, double plainEvery) {
        this.io = io;
        this.terminal = terminal;
        this.status = status;
        this.plainEvery = plainEvery;
    }

    static ProgressLine open(Io io, double plainEverySeconds) {
        java.io.Console c = System.console();
        if (io.process() && c != null && c.isTerminal()) {
            try {
                Terminal t = TerminalBuilder.builder().system(true).name("wirelab").build();
                // A pseudo-terminal nobody sized (script, some CI runners) is 0x0: Status draws nothing there.
                Status s = t.getWidth() > 0 && t.getHeight() > 0 ? Status.getStatus(t) : null;
                if (s != null) {
                    return new ProgressLine(io, t, s, plainEverySeconds);
                }
                t.close();
            } catch (IOException | RuntimeException e) {
                // no usable terminal: plain lines
            }
        }
        return new ProgressLine(io, null, null, plainEverySeconds);
    }

    /** Shows {@code line}; at {@code seconds} into the run (for the plain lines' spacing). */
    void show(double seconds, String line) {
        if (status != null) {
            status.update(List.of(new AttributedString(line)));
            terminal.flush();
        } else if (seconds - lastPlain >= plainEvery) {
            lastPlain = seconds;
            io.out().println(line);
            io.out().flush();
        }
    }

    /** A line that stays (a finding, a target done): printed above the status line. */
    void print(String line) {
        if (terminal != null) {
            terminal.writer().println(line);
            terminal.flush();
        } else {
            io.out().println(line);
        }
    }

    @Override
    public void close() {
        if (status != null) {
            status.update(List.of());
            try {
                terminal.close();
            } catch (IOException e) {
                // the terminal is going away with the process anyway
            }
        }
    }
}
