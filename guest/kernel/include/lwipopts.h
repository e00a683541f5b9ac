/* lwIP configuration for the wirelab default guest: NO_SYS, raw API only. */
#ifndef WL_LWIPOPTS_H
#define WL_LWIPOPTS_H

#define NO_SYS 1
#define SYS_LIGHTWEIGHT_PROT 0 /* lwIP is only entered with preemption disabled */
#define LWIP_SOCKET 0
#define LWIP_NETCONN 0
#define LWIP_IPV4 1
#define LWIP_IPV6 0
#define LWIP_ARP 1
#define LWIP_ETHERNET 1
#define LWIP_ICMP 1
#define LWIP_RAW 0
#define LWIP_UDP 1
#define LWIP_TCP 1
#define LWIP_DHCP 1
#define LWIP_AUTOIP 0
#define LWIP_IGMP 0
#define LWIP_DNS 0
#define LWIP_STATS 0
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_HOSTNAME 0
#define LWIP_SINGLE_NETIF 1
#define IP_REASSEMBLY 1
#define IP_FRAG 1

#define MEM_ALIGNMENT 8
#define MEM_SIZE (256 * 1024)
#define MEMP_NUM_PBUF 32
#define PBUF_POOL_SIZE 48
#define MEMP_NUM_TCP_PCB 48
#define MEMP_NUM_TCP_PCB_LISTEN 8
#define MEMP_NUM_TCP_SEG 256
#define MEMP_NUM_UDP_PCB 8
#define MEMP_NUM_REASSDATA 4
#define MEMP_NUM_FRAG_PBUF 8
#define ARP_TABLE_SIZE 8
#define ARP_QUEUEING 1

#define TCP_MSS 1460
/* Keep TCP_WND below 64 KiB: the socket layer queues received pbufs in one
 * chain (u16 tot_len) and only reopens the window as the application reads. */
#define TCP_WND (16 * TCP_MSS)
#define TCP_SND_BUF (16 * TCP_MSS)
#define TCP_SND_QUEUELEN (4 * TCP_SND_BUF / TCP_MSS)
#define TCP_LISTEN_BACKLOG 0
#define TCP_QUEUE_OOSEQ 1
#define LWIP_TCP_KEEPALIVE 0
#define LWIP_CALLBACK_API 1
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1

#define LWIP_NO_INTTYPES_H 1
#define LWIP_NO_CTYPE_H 1
#define LWIP_NO_LIMITS_H 0

/* The lwIP heap lives in kernel pages (not in .bss, so boot does not zero it). */
extern unsigned char *wl_lwip_heap;
#define LWIP_RAM_HEAP_POINTER wl_lwip_heap

/* Deterministic randomness: the guest's seeded PRNG (bootarg seed=). */
unsigned int wl_rand32(void);
#define LWIP_RAND() ((u32_t)wl_rand32())
#define LWIP_HOOK_TCP_ISN(local_ip, local_port, remote_ip, remote_port) ((u32_t)wl_rand32())

/* Word-at-a-time Internet checksum (net.c); lwIP's default reads 2 bytes a step. */
unsigned short wl_chksum(const void *dataptr, int len);
#define LWIP_CHKSUM wl_chksum

#ifdef ZOO_SMOLTCP_1136
/* Bug zoo smoltcp-1136: SACK negotiated (and our patched tcp_in.c reads SACK blocks). */
#define LWIP_TCP_SACK_OUT 1
#endif

/* Source-address filter before lwIP's own checks (net.c). */
struct pbuf;
struct netif;
int wl_ip4_input_hook(struct pbuf *p, struct netif *inp);
#define LWIP_HOOK_IP4_INPUT(p, inp) wl_ip4_input_hook((p), (inp))

#endif
