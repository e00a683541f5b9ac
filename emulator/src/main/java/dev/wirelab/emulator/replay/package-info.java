/**
 * Replaying recorded captures against the live guest ({@code wirelab replay}).
 *
 * <p>{@link dev.wirelab.emulator.replay.Replayer} reads a pcap/pcapng file, splits it
 * into TCP, UDP and ICMP-echo conversations over IPv4, and decides which recorded
 * endpoint the guest plays ({@link dev.wirelab.emulator.replay.ReplayOptions#guestIp()},
 * default: the TCP server of the first flow). Addresses and ports are rewritten
 * ({@code --map}): the guest's side becomes its live address (10.0.2.15), the peer
 * 10.0.2.2 unless mapped; MACs become the guest NIC's and a fixed peer MAC, whose
 * ARP answers the replayer gives itself.
 *
 * <p>Flows are replayed one after another, in the order they start in the capture
 * (interleaved flows are not replayed concurrently). For TCP the peer keeps its
 * recorded ISN, its acknowledgement numbers are rebased onto the guest's live ISN,
 * and a segment goes out only when the guest has sent what it acknowledges, it
 * fits the guest's advertised window, and (with {@code --timing}) its recorded gap
 * has passed; unacknowledged segments are retransmitted after a virtual-time RTO
 * (1 s, doubling, 5 times). All time is the board's virtual time; every action runs
 * from a board event, so a replay is as deterministic as the guest
 * ({@code board.trace().hex()} is the same for the same capture).
 *
 * <p>The guest's packets are compared with the recorded ones: TCP by relative
 * sequence position (bytes, FIN position, RST, SYN-ACK), UDP/ICMP in order by
 * payload. The first departure is reported with its capture frame number
 * ({@link dev.wirelab.emulator.replay.ReplayReport.Divergence}).
 *
 * <p>Not replayed: IPv6, fragments, TCP flows whose handshake is not in the capture,
 * TCP options other than MSS (timestamps, SACK and window scaling are dropped:
 * the replayed peer cannot honour them against a live stack), urgent data beyond
 * the pointer as recorded.
 */
package dev.wirelab.emulator.replay;
