package dev.wirelab.emulator.gdb;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.net.VirtualWire;

import java.io.IOException;
import java.io.PrintStream;

/**
 * The one way the lab lends a board to GDB: wrap it as a {@link BoardTarget}
 * with the {@link Monitor} commands, serve one debugger on {@code server},
 * and give the board back (stop points and history dropped) when it lets go.
 * Lab.gdb, {@code wirelab boot --gdb} and {@code wirelab run --gdb} all come here.
 */
public final class GdbStub {
    private GdbStub() { }

    /** How a debugging session ended, and the guest's own end if it came while GDB held it. */
    public record Result(GdbServer.Outcome outcome, Stop guestEnd) { }

    /** Serves one debugger on the board until it detaches, kills or disconnects. */
    public static Result serve(Board board, VirtualWire wire, GdbServer server, PrintStream log) throws IOException {
        if (log != null) {
            log.println("gdb: waiting for GDB on " + server.address() + " (target remote " + server.address() + ")");
        }
        try (BoardTarget target = new BoardTarget(board)) {
            Monitor monitor = new Monitor(target, wire);
            try {
                GdbServer.Outcome o = server.serve(target, monitor);
                if (log != null) {
                    log.println("gdb: " + switch (o) {
                        case DETACHED -> "GDB detached; the machine runs on";
                        case KILLED -> "GDB killed the session";
                        case DISCONNECTED -> "GDB disconnected; the machine runs on";
                    });
                }
                return new Result(o, target.ended());
            } finally {
                monitor.close();
            }
        }
    }

    /** Listens on {@code host:port} and serves one debugger (the {@code lab.gdb(port)} shape). */
    public static Result listenAndServe(Board board, VirtualWire wire, String host, int port, PrintStream log)
            throws IOException {
        try (GdbServer server = GdbServer.listen(host, port)) {
            return serve(board, wire, server, log);
        }
    }
}
