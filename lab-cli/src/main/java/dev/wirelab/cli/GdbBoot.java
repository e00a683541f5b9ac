package dev.wirelab.cli;

import dev.wirelab.emulator.board.Board;
import dev.wirelab.emulator.board.Stop;
import dev.wirelab.emulator.board.StopCause;
import dev.wirelab.emulator.gdb.GdbServer;
import dev.wirelab.emulator.gdb.GdbStub;

import java.io.IOException;

/**
 * {@code wirelab boot --gdb [HOST:]PORT [--gdb-wait]}: the guest runs with a GDB
 * stub listening (127.0.0.1 unless a host is given). With {@code --gdb-wait} GDB
 * gets the machine before its first instruction (QEMU's {@code -s -S}); without,
 * the guest runs and stops where it is when GDB connects ({@code -s}). When GDB
 * detaches the run goes on to the guest's end or the budget.
 */
final class GdbBoot {
    /** Where to listen: {@code [HOST:]PORT}. */
    record Address(String host, int port) {
        static Address parse(String s) {
            int colon = s.lastIndexOf(':');
            String host = colon < 0 ? "127.0.0.1" : s.substring(0, colon);
            String port = colon < 0 ? s : s.substring(colon + 1);
            try {
                int p = Integer.parseInt(port);
                if (p < 0 || p > 65535 || host.isEmpty()) {
                    throw new NumberFormatException();
                }
                return new Address(host, p);
            } catch (NumberFormatException e) {
                throw new UserError("--gdb " + s + ": expected [HOST:]PORT with PORT in 0..65535, e.g. --gdb 1234");
            }
        }
    }

    private GdbBoot() { }

    static Stop run(Board board, long maxInstructions, Address at, boolean waitForGdb, Io io) {
        GdbServer server;
        try {
            server = GdbServer.listen(at.host(), at.port());
        } catch (IOException e) {
            throw new UserError(e.getMessage() + ": choose another port with --gdb", e);
        }
        try (server) {
            long budgetEnd = board.clock().instructions() + maxInstructions;
            boolean attachNow = waitForGdb;
            if (!waitForGdb) {
                io.err().println("gdb: listening on " + server.address() + " (target remote " + server.address() + ")");
                server.acceptInBackground(() -> board.interrupt());
            }
            while (true) {
                if (attachNow || server.clientWaiting()) {
                    GdbStub.Result r = GdbStub.serve(board, null, server, io.err());
                    if (r.guestEnd() != null) {
                        return r.guestEnd();
                    }
                    if (r.outcome() == GdbServer.Outcome.KILLED) {
                        return new Stop(StopCause.INTERRUPTED, board.clock().instructions(), board.clock().ticks(),
                                board.pc(), "GDB killed the guest at " + board.describe(board.pc()), null, -1, null);
                    }
                    attachNow = false;
                    server.acceptInBackground(() -> board.interrupt());
                }
                long left = budgetEnd - board.clock().instructions();
                Stop r = board.run(Math.max(0, left));
                boolean forGdb = r.cause() == StopCause.INTERRUPTED && server.clientWaiting();
                if (!forGdb) {
                    return r;
                }
            }
        } catch (IOException e) {
            throw new UserError("gdb: " + e.getMessage(), e);
        }
    }
}
