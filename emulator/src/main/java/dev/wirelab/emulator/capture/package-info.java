/**
 * Capture files: {@link dev.wirelab.emulator.capture.PcapngWriter} records what
 * wirelab sends and receives (virtual-time nanosecond timestamps, direction,
 * comments; atomic on close, or in memory), {@link dev.wirelab.emulator.capture.CaptureReader}
 * reads classic pcap and pcapng from users and tools into
 * {@link dev.wirelab.emulator.capture.CapturedFrame}s.
 *
 * <pre>{@code
 * try (PcapngWriter w = PcapngWriter.create(Path.of("run.pcapng"))) {
 *     w.write(clock.nanos(), frame, Direction.INBOUND);
 * }
 * CaptureReader.Capture c = CaptureReader.read(Path.of("user.pcap"));
 * for (CapturedFrame f : c.frames()) {
 *     Packet p = Packet.parse(f.ethernetEquivalent()); // raw IP and Linux cooked captures converted
 * }
 * }</pre>
 *
 * Bad files raise {@link dev.wirelab.emulator.capture.CaptureFormatException} with
 * the file offset and a sentence naming the block, the length it claims and what
 * is there; nothing else escapes the reader.
 */
package dev.wirelab.emulator.capture;
