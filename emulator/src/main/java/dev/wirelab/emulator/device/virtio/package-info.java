/**
 * Virtio devices over the MMIO transport (VIRTIO 1.2: section 2 basic
 * facilities, 4.2 virtio over MMIO with the 4.2.4 legacy interface, 5.1 net,
 * 5.2 block, 5.4 entropy), as QEMU's virt board presents them: 32 slots of
 * 0x200 bytes from 0x0a00_0000, slot {@code n} on SPI {@code 16 + n}.
 *
 * <h2>Pieces</h2>
 * <ul>
 * <li>{@link dev.wirelab.emulator.device.virtio.GuestMemory} — DMA into guest
 *     physical memory; {@link dev.wirelab.emulator.device.virtio.SegmentGuestMemory}
 *     implements it over the board's RAM segment.</li>
 * <li>{@link dev.wirelab.emulator.device.virtio.VirtioMmioTransport} — the
 *     register file, status and feature negotiation, queue setup, interrupts;
 *     an {@code MmioDevice} the board maps at the base it chooses.
 *     {@code empty(base, version, log)} fills unused slots.</li>
 * <li>{@link dev.wirelab.emulator.device.virtio.Virtqueue} and
 *     {@link dev.wirelab.emulator.device.virtio.DescriptorChain} — split rings,
 *     validated against a hostile guest; errors are
 *     {@link dev.wirelab.emulator.device.virtio.VirtioException}s of a closed
 *     set of kinds.</li>
 * <li>Devices: {@link dev.wirelab.emulator.device.virtio.VirtioNet},
 *     {@link dev.wirelab.emulator.device.virtio.VirtioBlk},
 *     {@link dev.wirelab.emulator.device.virtio.VirtioRng}.</li>
 * </ul>
 *
 * <h2>Wiring (board side)</h2>
 * <pre>{@code
 * GuestMemory mem = new SegmentGuestMemory(board.ram(), VirtMemoryMap.RAM_BASE);
 * VirtioNet net = new VirtioNet(mac, frame -> peer.receive(frame));   // guest -> host
 * VirtioMmioTransport slot0 = new VirtioMmioTransport(VirtMemoryMap.virtioSlotBase(0), 2, net, mem,
 *         gic.line(VirtMemoryMap.spiIntid(VirtMemoryMap.VIRTIO_SPI_BASE + 0)), log);
 * // map slot0 like any MmioDevice; fill unused slots with VirtioMmioTransport.empty(virtioSlotBase(n), 2, log)
 * net.deliver(frame);                                                // host -> guest
 * }</pre>
 *
 * <p>Everything runs on the emulator thread: call {@code deliver},
 * {@code setLinkUp}, {@code save} and {@code restore} between guest runs,
 * never concurrently with {@code read}/{@code write}.
 */
package dev.wirelab.emulator.device.virtio;
