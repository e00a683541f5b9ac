/* The socket layer (sock.c) as the syscall layer (syscall.c) sees it. Every
 * call is made with preemption disabled; pointers are user addresses that
 * the callee checks. Results are 0 / a count, or -errno. */
#ifndef WL_SOCK_H
#define WL_SOCK_H
#include "kernel.h"

struct ksock;
i64 sock_create(u64 dom, u64 type, u64 proto, struct ksock **out);
void sock_release(struct ksock *s);
i64 sock_bind(struct ksock *s, u64 uaddr, u64 len);
i64 sock_listen(struct ksock *s, i64 backlog);
/* accept in two steps, so the caller can get an fd before a connection is dequeued */
i64 sock_accept_wait(struct ksock *s);
struct ksock *sock_accept_take(struct ksock *s, u64 flags);
i64 sock_peer_addr(struct ksock *c, u64 uaddr, u64 alenp);
i64 sock_connect(struct ksock *s, u64 uaddr, u64 len);
i64 sock_sockname(struct ksock *s, u64 uaddr, u64 alenp, int peer);
i64 sock_setsockopt(struct ksock *s, u64 level, u64 name, u64 uval, u64 len);
i64 sock_getsockopt(struct ksock *s, u64 level, u64 name, u64 uval, u64 ulenp);
i64 sock_shutdown(struct ksock *s, u64 how);
i64 sock_send(struct ksock *s, const u8 *buf, u64 len, int flags, u64 uaddr, u64 alen);
i64 sock_recv(struct ksock *s, u8 *buf, u64 len, int flags, u64 uaddr, u64 alenp);
#ifdef ZOO_AKUMA_DEADLOCK
i64 sock_sendto_fast(struct ksock *s, const u8 *buf, u64 len, int flags);
#endif
#ifdef ZOO_AKUMA_TORN_STATE
i64 sock_recvfrom_preemptible(struct ksock *s, u8 *buf, u64 len, int flags, u64 uaddr, u64 alenp);
#endif
int sock_poll(struct ksock *s);     /* POLL* bits */
int sock_poll_sleep(u64 deadline);  /* sleep until any socket changes; -1 on timeout */
#endif
