// A static aarch64 Linux /init for the kernel boot tests: prints one line on its
// console (fd 1, /dev/console from the initramfs) and powers the machine off.
        .text
        .global _start
_start:
        mov     x0, #1                  // stdout
        adr     x1, msg
        mov     x2, #(msg_end - msg)
        mov     x8, #64                 // write
        svc     #0
        ldr     w0, =0xfee1dead         // LINUX_REBOOT_MAGIC1
        ldr     w1, =0x28121969         // LINUX_REBOOT_MAGIC2
        ldr     w2, =0x4321fedc         // LINUX_REBOOT_CMD_POWER_OFF
        mov     x3, #0
        mov     x8, #142                // reboot
        svc     #0
1:      b       1b
msg:    .ascii  "wirelab-init: hello from userspace\n"
msg_end:
        .balign 4
