/**
 * The host side of the lab-call protocol (guest/README.md, "Lab-call protocol
 * (version 1)"): EL0 agents in the guest ask for work with {@code svc #0x574c},
 * the host hands them Linux syscalls and reads the results back.
 *
 * <p>{@link dev.wirelab.emulator.agent.AgentHost} is installed on a board and
 * answers the lab calls from inside its SVC interceptor, at exact instruction
 * boundaries, so a sequence of syscalls replays identically from a snapshot.
 * {@link dev.wirelab.emulator.agent.Syscall} describes one call (its number and
 * arguments, with buffer contents the host marshals into the agent's buffer);
 * {@link dev.wirelab.emulator.agent.Sys} is the script-facing face with one thin
 * method per Linux call.
 *
 * <pre>{@code
 * Board board = Board.create(BoardConfig.defaults());
 * AgentHost host = AgentHost.attach(board);            // before boot: the agents say HELLO at boot
 * board.load(BootImages.parse(name, bytes));
 * host.awaitHello(Budget.virtualMillis(1000), 0, 1);
 * Sys sys = host.sys();
 * int lfd = (int) sys.socket(0, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
 * sys.bind(0, lfd, "0.0.0.0", 9000).orThrow();
 * sys.listen(0, lfd, 4).orThrow();
 * PendingCall accept = host.submit(0, Syscall.accept(lfd));  // agent 0 blocks in accept
 * SelfLoopback.install(VirtualWire.attach(board));         // the guest has no loopback interface
 * int cfd = (int) sys.socket(1, Sys.AF_INET, Sys.SOCK_STREAM, 0).orThrow();
 * sys.connect(1, cfd, "10.0.2.15", 9000).orThrow();          // agent 1 connects, blocking
 * int sfd = (int) accept.await().orThrow();
 * }</pre>
 *
 * <p>Host actions take effect only at lab calls (inside the interceptor), never
 * at the points where the host paused the board, so where a wait ends does not
 * change the guest's run. One exception: a wait that times out on virtual time
 * ends with a host event, and a host event ends the guest's WFI (the guest
 * sees a spurious wake-up; the same budget replays the same way).
 */
package dev.wirelab.emulator.agent;
