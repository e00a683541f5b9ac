# GDB session for scripts/gdb-echo.groovy: stop in lwIP's tcp_input on the echo's data segment,
# read the TCP header through the pbuf, go 100 instructions back and forward again.
set pagination off
set architecture aarch64
target remote 127.0.0.1:1234
break *tcp_input if ((struct pbuf *)$x0)->tot_len > 20
continue
print ((struct pbuf *)$x0)->tot_len
print/x *(struct tcp_hdr *)((struct pbuf *)$x0)->payload
monitor trace hash
info registers pc sp x0 x30
reverse-stepi 100
info registers pc sp x0 x30
monitor time
stepi 100
info registers pc sp x0 x30
monitor trace hash
monitor history
detach
