/**
 * packetdrill scripts ({@code .pkt}) against any guest: a sans-IO parser into a typed AST
 * ({@link dev.wirelab.emulator.pkt.PktParser}, {@link dev.wirelab.emulator.pkt.PktEvent}) and an
 * executor that drives the guest only through the {@code Lab} API
 * ({@link dev.wirelab.emulator.pkt.PktRunner}). The grammar and the timing rules follow
 * packetdrill's own (parser.y, run.c); the code is ours.
 */
package dev.wirelab.emulator.pkt;
