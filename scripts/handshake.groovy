// A TCP connection to the guest's echo service, written packet by packet
// (packetdrill style): seq/ack are relative to each side's initial sequence
// number, learned from the handshake. Run: ./wirelab run scripts/handshake.groovy
boot()                                              // the default guest, up to "wirelab-guest: ready"

inject tcp(flags: 'S', seq: 0, win: 65535, mss: 1460)         // peer 10.0.2.100:40000 -> guest:7
expect flags: 'S.', seq: 0, ack: 1, within: ms(10)            // SYN-ACK; the guest ARPs for us first
inject tcp(flags: '.', seq: 1, ack: 1)                        // handshake done

inject tcp(flags: 'P.', seq: 1, ack: 1, data: 'hello, wirelab\n')
def echo = expect(seq: 1, ack: 16, data: 'hello, wirelab\n', eventually: true, within: ms(100))
println "echoed: ${echo}"

inject tcp(flags: 'F.', seq: 16, ack: 16)                     // our FIN: the echo service closes too
expect flags: 'F.', seq: 16, ack: 17, eventually: true, within: ms(100)
inject tcp(flags: '.', seq: 17, ack: 17)

check console.text.contains('wirelab-guest: ready'), 'guest booted'
check lab.panic == null, 'no guest panic'
println "handshake, echo and close: ok at ${lab.time}"
