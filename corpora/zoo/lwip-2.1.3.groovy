// Bug zoo repro: lwIP 2.1.3 itself (zoo:lwip-2.1.3), three real bugs wirelab's fuzzer found on the
// default guest before its lwIP was fixed (guest/lwip-patches/). Exit 1 (guest panic) on the zoo guest;
// exit 0 on the default guest. Each part boots afresh; on the zoo guest the first part ends the run,
// so name a part to see another one:
//   mss:   an MSS option on a non-SYN segment shrinks the MSS under a queued segment; the next write
//          asserts (tcp_out.c:504)
//   fin:   a FIN queued out of order, then in-order data filling the window past it (tcp_in.c:1544)
//   ooseq: a segment queued out of order reaching past the window, then the gap filled (tcp_in.c:1580)
// Run: ./wirelab run corpora/zoo/lwip-2.1.3.groovy [default|zoo] [mss|fin|ooseq]
boolean fixed = args.contains('default')
def parts = ['mss', 'fin', 'ooseq'].findAll { args.contains(it) } ?: ['mss', 'fin', 'ooseq']
int mss = 1460
def connect = { int port ->
    if (fixed) boot() else boot(image: 'zoo:lwip-2.1.3')
    // An agent's socket listens; the peer connects with MSS 1460 and is accepted.
    int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
    sys.bind(0, ls, '0.0.0.0', port).orThrow()
    sys.listen(0, ls, 4).orThrow()
    inject tcp(flags: 'S', dport: port, seq: 0, mss: mss)
    expect flags: 'S.', ack: 1, within: ms(10)
    inject tcp(flags: '.', dport: port, seq: 1, ack: 1)
    sys.accept(0, ls).orThrow()
}
// n full segments from the peer's first byte on; nobody reads.
def fill = { int port, int n -> n.times { i -> inject tcp(flags: '.', dport: port, seq: 1 + i * mss, ack: 1, len: mss) } }
def survived = { String what ->
    check lab.panic == null, 'no guest panic'
    println what
}

if ('mss' in parts) {
    int c = connect(9000)
    // 10 bytes go out at once; 10 more wait behind them (Nagle) in a segment sized for MSS 1460.
    check sys.send(0, c, new byte[10]).orThrow() == 10, 'first write'
    expect flags: 'P.', dport: 40000, seq: 1, len: 10, within: ms(10)
    check sys.send(0, c, new byte[10]).orThrow() == 10, 'second write (queued)'
    // A plain ACK (it acknowledges nothing new) that carries an MSS option of 100.
    inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1, mss: 100)
    advance(ms(1))
    // lwIP 2.1.3 took MSS 100: the queued segment's room for 1440 more bytes exceeds it.
    def third = sys.sendAsync(0, c, new byte[10])   // the idle agent takes it within a 10 ms tick
    advance(ms(30))
    check third.isDone() && third.result().value() == 10, 'third write'
    survived('mss: an MSS option on an established connection is ignored')
}

if ('fin' in parts) {
    int c = connect(9001)
    // 15 full segments, nobody reads: 1460 bytes of window are left (TCP_WND is 16 x 1460).
    int base = 1 + 15 * mss
    fill(9001, 15)
    advance(ms(5))
    // A bare FIN 100 bytes ahead (queued out of order), then the 1460 in-order bytes that fill the
    // window and run past the FIN.
    inject tcp(flags: 'F.', dport: 9001, seq: base + 100, ack: 1)
    inject tcp(flags: '.', dport: 9001, seq: base, ack: 1, len: mss)
    // Fixed: the stream ends at the FIN (100 bytes, then the FIN, acknowledged); the rest is dropped.
    def ack = expect(flags: '.', dport: 40000, sport: 9001, ack: base + 101, eventually: true, within: ms(600))
    println "guest acked the FIN: ${ack}"
    survived('fin: in-order data running past a queued FIN ends at the FIN')
}

if ('ooseq' in parts) {
    int c = connect(9002)
    // Fill the window (16 x 1460), then read 18 bytes: less than an MSS, so no window update is sent
    // (the peer still sees win 0), but lwIP's window is 18 bytes wide again.
    int edge = 1 + 16 * mss
    fill(9002, 16)
    expect flags: '.', ack: edge, win: 0, eventually: true, within: ms(200)
    check sys.recv(0, c, 18).orThrow() == 18, 'read 18 bytes'
    // 18 bytes one past the next expected byte: queued out of order, reaching one byte past the window.
    inject tcp(flags: '.', dport: 9002, seq: edge + 1, ack: 1, len: 18)
    // The gap: one new byte in order; now the queued segment is in sequence.
    inject tcp(flags: '.', dport: 9002, seq: edge, ack: 1, len: 1)
    // Fixed: the queued segment is cut to the window (17 of its bytes), acknowledged up to the edge.
    def ack = expect(flags: '.', dport: 40000, sport: 9002, ack: edge + 18, eventually: true, within: ms(600))
    println "guest acked up to the window's edge: ${ack}"
    survived('ooseq: a queued segment reaching past the window is trimmed to it')
}
