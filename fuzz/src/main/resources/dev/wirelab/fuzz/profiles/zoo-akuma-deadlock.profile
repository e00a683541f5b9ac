# wirelab guest profile: zoo guest akuma-deadlock, the default guest with one bug planted.
# Akuma kernel (priority inversion between a preemptible syscall thread and the network thread): a tick preempts a syscall thread that holds the stack lock; the preemption-disabled network thread spins on it forever
name = zoo:akuma-deadlock
image = /guest/zoo/akuma-deadlock.elf
ready.console = wirelab-guest: ready
guest.ip = 10.0.2.15
port.listen = 5000
port.service = 7
port.connect = 9
panic.console = !!! PANIC !!!
