/**
 * Packet encoding and decoding, with no connection state (smoltcp's {@code wire/}
 * half: bytes here, state machines elsewhere).
 *
 * <h2>Decoding</h2>
 * Every layer is an immutable record with a static {@code parse(Bytes)} that
 * either returns the record or throws {@link dev.wirelab.emulator.wire.ParseException}
 * (never anything else, whatever the bytes) listing {@link dev.wirelab.emulator.wire.Malformation}s:
 * layer, field, byte offset in the frame, and what is wrong. Problems that still
 * leave a usable layer (truncated payload, bad option, wrong checksum) are not
 * thrown; the {@code parse(Bytes, List)} overloads collect them.
 * {@link dev.wirelab.emulator.wire.Packet#parse(byte[])} decodes a whole Ethernet
 * frame as far as it goes, never throws, and prints a tcpdump-like line:
 * <pre>{@code
 * Packet p = Packet.parse(frame);
 * p.toString();        // 10.0.2.2:40000 > 10.0.2.15:7 [S] seq 1000 win 65535 <mss 1460,sackOK,wscale 7>
 * p.tcp().seq();       // SeqNumber 1000
 * p.malformations();   // [] or e.g. [tcp.checksum @50: checksum 0xbeef, expected 0x1c2d]
 * }</pre>
 * Layers hold their payloads as {@link dev.wirelab.emulator.wire.Bytes} views over
 * one copy of the frame, so decoding allocates little.
 *
 * <h2>Encoding</h2>
 * Each layer has a {@code Builder} that computes lengths and checksums (IPv4 header;
 * TCP/UDP with the IPv4 or IPv6 pseudo-header; ICMP) unless a field is overridden —
 * fuzzing needs wrong values on purpose, and overrides are written as given.
 * Builders nest: Ethernet takes an {@link dev.wirelab.emulator.wire.EtherPayload}
 * (IPv4/IPv6 builder, ARP), IP takes an {@link dev.wirelab.emulator.wire.IpPayload}
 * (TCP/UDP/ICMP builder, which gets the addresses for its checksum):
 * <pre>{@code
 * byte[] syn = EthernetFrame.builder()
 *         .source(MacAddress.parse("52:55:0a:00:02:02")).destination(MacAddress.parse("52:54:00:12:34:56"))
 *         .payload(Ipv4Packet.builder().source("10.0.2.2").destination("10.0.2.15")
 *                 .payload(TcpSegment.builder().ports(40000, 7).flags("S").seq(1000).window(65535)
 *                         .options(TcpOption.mss(1460), TcpOption.sackPermitted(), TcpOption.windowScale(7))))
 *         .encode();
 * }</pre>
 * Every parsed layer has {@code toBuilder()}, for rewriting (addresses, ports)
 * during replay with checksums recomputed.
 *
 * <h2>Sequence numbers</h2>
 * {@link dev.wirelab.emulator.wire.SeqNumber} is modular: moving is always
 * defined, every difference says which kind it is (signed serial distance,
 * forward distance, or checked "this − earlier" that refuses to underflow).
 *
 * <h2>Not here</h2>
 * IPv6 extension headers are skipped, not decoded (no routing-header final
 * destination for the pseudo-header); no ICMPv6, no IPv6 reassembly; IPv4
 * reassembly lives apart from parsing in {@link dev.wirelab.emulator.wire.Ipv4Reassembler}.
 * Addresses are parsed from literals only — there is no name resolution anywhere.
 */
package dev.wirelab.emulator.wire;
