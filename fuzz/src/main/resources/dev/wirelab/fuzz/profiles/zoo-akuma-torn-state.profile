# wirelab guest profile: zoo guest akuma-torn-state, the default guest with one bug planted.
# Akuma kernel (stack state touched by a syscall thread without preemption disabled; Rust RefCell "already borrowed" class)
name = zoo:akuma-torn-state
image = /guest/zoo/akuma-torn-state.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
