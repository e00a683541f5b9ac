// Bug zoo repro: awkernel PR #682 (zoo:awkernel-682). Two non-blocking connects to the same
// destination must use two local ports. On the zoo guest both SYNs carry the same source port and
// the socket layer's 4-tuple check panics (exit 1); the default guest uses two ports (exit 0).
// Run: ./wirelab run corpora/zoo/awkernel-682.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:awkernel-682')

int NONBLOCK = 04000
int a = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM | NONBLOCK, 0).orThrow()
int b = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM | NONBLOCK, 0).orThrow()
println "connect a: ${sys.connect(0, a, '10.0.2.100', 5000)}"      // -EINPROGRESS: SYN sent, no answer yet
try {
    println "connect b: ${sys.connect(0, b, '10.0.2.100', 5000)}"
    advance(ms(10))
} catch (RuntimeException e) {
    println "connect b did not return: ${e.message}"      // the guest panicked inside the call
}

def syns = trace.frames.findAll { it.out && it.packet.tcp()?.syn() && it.packet.tcp().destinationPort() == 5000 }
def ports = syns.collect { it.packet.tcp().sourcePort() }
println "SYNs to 10.0.2.100:5000 from local ports ${ports}"
if (ports.size() == 2 && ports[0] == ports[1]) reproduced "two connects share local port ${ports[0]}"
check ports.size() == 2, "two SYNs, got ${ports.size()}"
println 'two connects, two local ports'
