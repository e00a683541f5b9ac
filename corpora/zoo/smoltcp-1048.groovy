// Bug zoo repro: smoltcp #1048 (zoo:smoltcp-1048). Bytes past the advertised window are accepted,
// then the next advertised-window computation underflows. Exit 1 (guest panic) on the zoo guest;
// exit 0 on the default guest, which accepts the bytes and advertises a zero window.
// Run: ./wirelab run corpora/zoo/smoltcp-1048.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:smoltcp-1048')

// An agent's socket listens on 9000; the peer connects with MSS 1460.
int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
sys.bind(0, ls, '0.0.0.0', 9000).orThrow()
sys.listen(0, ls, 4).orThrow()
inject tcp(flags: 'S', dport: 9000, seq: 0, mss: 1460)
expect flags: 'S.', ack: 1, within: ms(10)
inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1)
int c = sys.accept(0, ls).orThrow()

// Fill the guest's receive window (16 x 1460 bytes); nobody reads yet.
int mss = 1460, wnd = 16 * mss
16.times { i -> inject tcp(flags: '.', dport: 9000, seq: 1 + i * mss, ack: 1, len: mss) }
expect flags: '.', ack: 1 + wnd, win: 0, eventually: true, within: ms(200)

// The application reads 100 bytes: less than one MSS, so no window update is sent.
check sys.recv(0, c, 100).orThrow() == 100, 'read 100 bytes'
advance(ms(5))

// The peer sends 50 bytes past the right edge it was shown (win 0).
inject tcp(flags: 'P.', dport: 9000, seq: 1 + wnd, ack: 1, len: 50)
def ack = expect(flags: '.', dport: 40000, sport: 9000, eventually: true, within: ms(600))  // a delayed ACK
println "guest acked ${ack}"
check lab.panic == null, 'no guest panic'
println 'smoltcp-1048 shape: bytes past the window accepted without a panic'
