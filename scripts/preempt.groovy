// Preempt the guest inside its TCP input path: stop at lwIP's tcp_input while
// it handles our SYN, raise the timer interrupt there, continue, and check the
// outcome: the connection still works, or the guest's panic/watchdog report
// (exit 1 with the report) when preemption at that point reproduces a bug.
// Run: ./wirelab run scripts/preempt.groovy [TICKS]   (ticks raised at each stop, default 3)
boot()
ticks = args ? (args[0] as int) : 3

breakpoint 'tcp_input'
inject tcp(flags: 'S', seq: 0, mss: 1460)
def stop = run(50_000_000)
check stop.reason() == 'breakpoint', "expected to stop in tcp_input, got ${stop}"
println "stopped at ${stop.where()} (${stop.instructions()} instructions)"
println disasm(regs.pc, 3)
ticks.times {
    tick()                                   // timer interrupt pending at this exact instruction
    run(2_000)                               // lwIP runs with preemption disabled: the tick must wait
}
clearBreakpoint 'tcp_input'

expect flags: 'S.', seq: 0, ack: 1, within: ms(20)
inject tcp(flags: '.', seq: 1, ack: 1)
inject tcp(flags: 'P.', seq: 1, ack: 1, data: 'still alive?')
expect data: 'still alive?', eventually: true, within: ms(100)
inject tcp(flags: 'R.', seq: 13, ack: 13)

if (lab.panic) reproduced("guest panic after preemption in tcp_input: ${lab.panic.title()}")
println "preempted ${ticks} times inside tcp_input: the connection still works; ${trace.interrupts.count { it.kind() == 'tick' }} ticks raised"
