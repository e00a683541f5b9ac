// Bug zoo repro: smoltcp #1136/#1138 (zoo:smoltcp-1136). With SACK negotiated and echoed data in
// flight, the peer sends an ACK whose SACK block wraps (left edge above the right one). The zoo guest's
// SACK arithmetic overflows (guest panic, exit 1); the default guest ignores SACK blocks (exit 0).
// Run: ./wirelab run corpora/zoo/smoltcp-1136.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:smoltcp-1136')

inject tcp(flags: 'S', seq: 0, mss: 1460, sackOK: true)
expect flags: 'S.', seq: 0, ack: 1, within: ms(10)
inject tcp(flags: '.', seq: 1, ack: 1)
inject tcp(flags: 'P.', seq: 1, ack: 1, data: 'sixteen bytes!!\n')
expect seq: 1, data: 'sixteen bytes!!\n', eventually: true, within: ms(100)   // echoed, not yet acked

// Do not ack the echo; report a SACK block [13, 5): its right edge is inside the unacked data, its
// left edge above the right one.
inject tcp(flags: '.', seq: 17, ack: 1, sack: [[13, 5]])
advance(ms(10))
inject tcp(flags: '.', seq: 17, ack: 17)
advance(ms(10))
check lab.panic == null, 'no guest panic'
println 'the wrapped SACK block was harmless'
