# wirelab guest profile: zoo guest lwip-2.1.3, the default guest on unfixed lwIP 2.1.3.
# lwIP 2.1.3 (found by wirelab): an MSS option honoured on any segment, and two receive-window overruns by out-of-order segments (assertions)
name = zoo:lwip-2.1.3
image = /guest/zoo/lwip-2.1.3.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
