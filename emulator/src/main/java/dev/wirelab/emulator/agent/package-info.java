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
 */
package dev.wirelab.emulator.agent;
