# wirelab guest profile: zoo guest smoltcp-1161, the default guest with one bug planted.
# smoltcp #1161: a tiny peer MSS drives an endless stream of empty segments (liveness; no panic)
name = zoo:smoltcp-1161
image = /guest/zoo/smoltcp-1161.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
