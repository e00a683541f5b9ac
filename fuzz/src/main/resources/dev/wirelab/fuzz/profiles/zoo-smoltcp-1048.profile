# wirelab guest profile: zoo guest smoltcp-1048, the default guest with one bug planted.
# smoltcp #1048 (fixed by smoltcp PR #1079): bytes accepted past the advertised receive window, then the window arithmetic underflows
name = zoo:smoltcp-1048
image = /guest/zoo/smoltcp-1048.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
