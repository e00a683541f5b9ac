// Bug zoo repro: Akuma's torn stack state (zoo:akuma-torn-state). Agent 0 receives on an established
// connection; the run stops inside recvfrom (at tcp_recved, while the window is being updated), and
// there a frame arrives and a timer tick is raised. On the zoo guest recvfrom updates the stack with
// preemption enabled; the network thread runs in between and its borrow check panics "already
// borrowed" (exit 1). The default guest holds preemption off there: exit 0.
// Run: ./wirelab run corpora/zoo/akuma-torn-state.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:akuma-torn-state')

int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
sys.bind(0, ls, '0.0.0.0', 9000).orThrow()
sys.listen(0, ls, 4).orThrow()
inject tcp(flags: 'S', dport: 9000, seq: 0, mss: 1460)
expect flags: 'S.', ack: 1, within: ms(10)
inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1)
int c = sys.accept(0, ls).orThrow()
inject tcp(flags: 'P.', dport: 9000, seq: 1, ack: 1, data: 'data for agent 0')
advance(ms(5))

// The receive, stopped in the middle: inside lwIP's tcp_recved.
breakpoint 'tcp_recved'
def recv = sys.host.submit(0, dev.wirelab.emulator.agent.Syscall.recv(c, 100, 0))
def stop = run(50_000_000)
check stop.reason() == 'breakpoint', "expected to stop in tcp_recved, got ${stop}"
clearBreakpoint 'tcp_recved'
println "stopped at ${stop.where()}"

// Right there: a ping arrives (its interrupt wakes the network thread) and a timer tick is due.
inject icmp(id: 7, seq: 1, data: 'are you there')
tick()
advance(ms(20))

boolean answered = trace.frames.any { it.out && it.packet.icmp() != null }
check recv.isDone() && recv.result().value() == 16, "recvfrom returned the 16 bytes"
check answered, 'the ping was answered'
println 'the tick inside recvfrom was harmless'
