# wirelab guest profile: the embedded default guest (lwIP 2.1.3). Format: fuzz/README.md.
name = default
image = /guest/kernel/wirelab-guest.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
# coverage: empty = the ELF's text
