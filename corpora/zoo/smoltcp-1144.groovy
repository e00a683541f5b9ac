// Bug zoo repro: smoltcp #1144 (zoo:smoltcp-1144). A SYN from source address 0.0.0.0 must be
// dropped; the zoo guest answers it with a SYN-ACK to 0.0.0.0 and, when the handshake completes,
// its accept path asserts (guest panic, exit 1). The default guest drops the SYN: exit 0.
// Run: ./wirelab run corpora/zoo/smoltcp-1144.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:smoltcp-1144')

inject tcp(flags: 'S', src: '0.0.0.0', dport: 7, isn: 1000, mss: 1460)
advance(ms(20))
// The answer goes to 0.0.0.0 (an Ethernet broadcast), not to the peer: look at every frame.
def synack = trace.frames.find { it.out && it.packet.tcp()?.syn() }
if (synack == null) {
    println 'the SYN from 0.0.0.0 was dropped, as it must be'
    return
}
println "answered: ${synack.packet}"
long guestIsn = synack.packet.tcp().seq().value()
inject tcp(flags: '.', src: '0.0.0.0', dport: 7, abs: true, seq: 1001, ack: (guestIsn + 1) & 0xffffffffL)
advance(ms(20))
reproduced 'a SYN from 0.0.0.0 was answered'
