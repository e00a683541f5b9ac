# wirelab guest profile: zoo guest awkernel-682, the default guest with one bug planted.
# awkernel PR #682: the ephemeral-port search checks slot i instead of the port, so concurrent connects get the same local port
name = zoo:awkernel-682
image = /guest/zoo/awkernel-682.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
