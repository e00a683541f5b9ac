# wirelab guest profile: zoo guest smoltcp-1136, the default guest with one bug planted.
# smoltcp #1136 / #1138: SACK block arithmetic overflow
name = zoo:smoltcp-1136
image = /guest/zoo/smoltcp-1136.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
