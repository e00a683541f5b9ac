// Lend the default guest to GDB in the middle of a TCP echo, then check the echo still works.
// Run: ./wirelab run scripts/gdb-echo.groovy [PORT]   and in another terminal:
//      gdb-multiarch -x scripts/gdb-echo.gdb guest/target/classes/guest/kernel/wirelab-guest.elf
// (the .gdb file breaks in tcp_input on the data segment, reads its TCP header, steps 100
// instructions back and forward again, and detaches; the script then goes on).
boot()
port = args ? (args[0] as int) : 1234

def c = net.established(net.connect(7), ms(100))
c.send('hello from the wire')                // queued: the guest gets it when GDB lets the machine run
gdb(port)                                    // waits here until GDB detaches
c.awaitReceived(19)
check c.readString() == 'hello from the wire', 'the echo came back after the debugging session'
println "echo ok after GDB at ${lab.time}"
