// Bug zoo repro: smoltcp #1161 (zoo:smoltcp-1161). A peer that announces a tiny MSS (40) must still
// get its echo, in small segments. The zoo guest instead sends empty segments without end and never
// the data: a liveness bug, checked within a fixed budget of virtual time (exit 1). Default: exit 0.
// Run: ./wirelab run corpora/zoo/smoltcp-1161.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:smoltcp-1161')

inject tcp(flags: 'S', seq: 0, mss: 40)
expect flags: 'S.', seq: 0, ack: 1, within: ms(10)
inject tcp(flags: '.', seq: 1, ack: 1)
inject tcp(flags: 'P.', seq: 1, ack: 1, data: 'hello, tiny mss')
long from = lab.now
advance(ms(100))

// What the guest sent to the peer in those 100 ms of virtual time.
def sent = trace.frames.findAll { it.out && it.ticks() >= from && it.packet.tcp() != null }
int empty = sent.count { it.packet.tcp().payload().length() == 0 && !it.packet.tcp().fin() }
int data = sent.sum(0) { it.packet.tcp().payload().length() }
println "in 100 ms: ${sent.size()} segments, ${empty} empty, ${data} bytes of data"
if (data == 0 && empty > 50) reproduced "no progress: ${empty} empty segments in 100 ms and no data (peer MSS 40)"
check data == 15, "the echo came back (${data} bytes)"
println 'echoed in small segments'
