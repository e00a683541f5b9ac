# wirelab guest profile: zoo guest smoltcp-1144, the default guest with one bug planted.
# smoltcp #1144: a SYN from source address 0.0.0.0 is answered with a SYN-ACK to 0.0.0.0, then an assertion fires
name = zoo:smoltcp-1144
image = /guest/zoo/smoltcp-1144.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
