// Bug zoo repro: Akuma's priority-inversion deadlock (zoo:akuma-deadlock). Agent 0 sends on an
// established connection; the run stops inside the send syscall (at tcp_write), and there a frame
// arrives and a timer tick is raised. On the zoo guest the syscall thread holds the stack lock while
// preemptible, the woken network thread spins on it with interrupts masked: the guest answers nothing
// any more (a hang, checked within a fixed virtual-time budget: exit 1). Default guest: exit 0.
// Run: ./wirelab run corpora/zoo/akuma-deadlock.groovy [default]
if (args && args[0] == 'default') boot() else boot(image: 'zoo:akuma-deadlock')

int ls = sys.socket(0, sys.AF_INET, sys.SOCK_STREAM, 0).orThrow()
sys.bind(0, ls, '0.0.0.0', 9000).orThrow()
sys.listen(0, ls, 4).orThrow()
inject tcp(flags: 'S', dport: 9000, seq: 0, mss: 1460)
expect flags: 'S.', ack: 1, within: ms(10)
inject tcp(flags: '.', dport: 9000, seq: 1, ack: 1)
int c = sys.accept(0, ls).orThrow()

// The send, stopped in the middle: inside lwIP's tcp_write.
breakpoint 'tcp_write'
def send = sys.host.submit(0, dev.wirelab.emulator.agent.Syscall.send(c, 'hello from agent 0'.bytes, 0))
def stop = run(50_000_000)
check stop.reason() == 'breakpoint', "expected to stop in tcp_write, got ${stop}"
clearBreakpoint 'tcp_write'
println "stopped at ${stop.where()}"

// Right there: a ping arrives (its interrupt wakes the network thread) and a timer tick is due.
inject icmp(id: 7, seq: 1, data: 'are you there')
tick()
advance(ms(50))

boolean answered = trace.frames.any { it.out && it.packet.icmp() != null }
println "after 50 ms: send ${send.isDone() ? 'returned ' + send.result() : 'still in the guest'}, ping ${answered ? 'answered' : 'not answered'}"
if (!send.isDone() && !answered) reproduced 'hang: the send never returns and the guest answers nothing (stack lock held while preemptible)'
check send.isDone() && answered, 'the send returned and the ping was answered'
println 'the tick inside the send was harmless'
