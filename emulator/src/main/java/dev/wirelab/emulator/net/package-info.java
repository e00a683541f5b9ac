/**
 * The host side of the guest's network: a virtual Ethernet segment addressed
 * like QEMU's user-mode network, and the endpoints on it (smoltcp's
 * {@code socket/} half: connection state here, bytes in {@code wire/}).
 *
 * <h2>Wiring</h2>
 * <pre>{@code
 * Board board = Board.create(BoardConfig.defaults());
 * VirtualWire wire = VirtualWire.attach(board);      // before board.snapshot() calls it must be part of
 * board.load(BootImages.parse("wirelab-guest.elf", bytes));
 * // ... run to "wirelab-guest: ready"
 * }</pre>
 * Addresses: network 10.0.2.0/24, host and gateway 10.0.2.2 (MAC
 * 52:55:0a:00:02:02), DNS 10.0.2.3, guest 10.0.2.15. The wire answers ARP for
 * .2 and .3, ICMP echo to them, DHCP (lease 10.0.2.15, router .2, DNS .3, /24),
 * and carries the host TCP.
 *
 * <h2>TCP from a script or test</h2>
 * <pre>{@code
 * TcpConnection c = wire.tcp().connect("10.0.2.15", 7).awaitEstablished();
 * c.send("hello");                 // queued; goes out as the guest's window allows
 * c.awaitReceived(5);              // runs the board until 5 bytes came back
 * byte[] echo = c.read();
 * c.close();                       // FIN after the data
 * c.awaitClosed();
 *
 * TcpListener l = wire.tcp().listen(5000);    // connections the guest opens to 10.0.2.2:5000
 * TcpConnection in = l.awaitAccept();
 * }</pre>
 * Every {@code await…} runs the board until its condition holds, stopping at the
 * exact instruction where it became true, within a budget (10 s of virtual time,
 * 2,000 M instructions); otherwise it throws {@link dev.wirelab.emulator.net.VirtualWire.WireTimeoutException}
 * naming what did not happen and why (budget, guest exit, fault). For other
 * conditions: {@code wire.runUntil("what", () -> cond, maxTicks, maxInstructions)}
 * returns an {@link dev.wirelab.emulator.net.VirtualWire.Outcome}.
 *
 * <h2>TCP without I/O</h2>
 * {@link dev.wirelab.emulator.net.TcpSocket} is the protocol: segments and the
 * virtual time in, segments and a timer deadline ({@code pollAt}) out, its whole
 * state one copyable object; it is unit-tested without a board
 * ({@code TcpSocketTest}). {@link dev.wirelab.emulator.net.TcpConnection} is the
 * adapter that puts its segments on the wire and waits.
 *
 * <h2>One door to the NIC: stations</h2>
 * Only the wire talks to the guest's NIC. Anything else on the segment is a
 * {@link dev.wirelab.emulator.net.Station}: the lab's scripted peer (10.0.2.100),
 * a running {@code Replayer}, {@code SelfLoopback}. A station is offered every
 * guest frame before the host side, sends with {@code wire.injectAt}, and its
 * addresses are answered by the wire's one ARP table; so taps, captures and the
 * loss model see every frame, whoever sent it.
 * <pre>{@code
 * wire.addStation(new Station() {
 *     public MacAddress arp(Ipv4Address a) { return a.equals(MY_IP) ? MY_MAC : null; }
 *     public boolean fromGuest(Packet p, byte[] frame) { ...; return mine; }
 * });
 * }</pre>
 *
 * <h2>Raw frames, ping, captures</h2>
 * <pre>{@code
 * wire.injectAt(tick, frameBytes);            // exactly at that virtual tick (or when the guest has a buffer)
 * int seq = wire.icmp().ping(VirtualWire.GUEST_IP, 56);
 * wire.await("pong", () -> wire.icmp().answered(seq));
 * try (CaptureRecorder rec = CaptureRecorder.toFile(wire, Path.of("run.pcapng"))) {
 *     ...                                      // both directions, virtual-time stamps, written atomically on close
 * }
 * }</pre>
 *
 * <h2>Determinism and snapshots</h2>
 * No host clock, no threads, no unseeded randomness: frames leave from board
 * events at exact virtual ticks, ISNs and timestamp bases come from the wire's
 * seed. The wire, its responders and every live connection and listener are
 * values inside board snapshots; after {@code board.restore(s)} the same Java
 * {@link dev.wirelab.emulator.net.TcpConnection} objects carry on from where
 * they were, and connections opened after {@code s} are detached (closed; using
 * them throws). Taps, capture recorders and the loss model are observers and
 * configuration, not state.
 */
package dev.wirelab.emulator.net;
