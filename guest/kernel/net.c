/* lwIP glue (NO_SYS=1): netif over virtio-net, the network thread, the seeded
 * PRNG, sys_now from the generic timer. */
#include "kernel.h"
#include "lwip/init.h"
#include "lwip/netif.h"
#include "lwip/etharp.h"
#include "lwip/timeouts.h"
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip.h"
#include "netif/ethernet.h"
#include "zoo/zoo.h"

static struct netif nif;
unsigned char *wl_lwip_heap;
static volatile int net_pending;
static int use_dhcp;
int net_ready;
static u64 prng_state = 0x5eed5eed5eed5eedULL;

void prng_seed(u64 s) { prng_state = s ? s : 0x5eed5eed5eed5eedULL; }

u64 prng_next(void)
{
	u64 x = prng_state; /* xorshift64* */
	x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
	prng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

unsigned int wl_rand32(void) { return (unsigned int)(prng_next() >> 32); }

/* LWIP_CHKSUM: the Internet checksum (RFC 1071) over 8-byte words, for any
 * start address and length. Returns what lwIP's own routine returns: the
 * non-inverted sum of the data read as native-order 16-bit words (the sum is
 * byte-order independent, RFC 1071 section 2). lwIP's routine reads 2 bytes a
 * step, this 32; every received and sent segment is summed, so this is most of the
 * guest's work per frame after the copies. */
unsigned short wl_chksum(const void *dataptr, int len)
{
	const u8 *p = dataptr;
	u64 sum = 0;
	int odd = (u64)p & 1;
	if (odd && len > 0) {
		sum = (u64)*p++ << 8; /* the byte sits high in its native word; swapped back below */
		len--;
	}
	while (((u64)p & 7) && len >= 2) {
		sum += *(const u16 *)p;
		p += 2;
		len -= 2;
	}
	while (len >= 32) {
		const u64 *w = (const u64 *)p;
		/* Four words with the carry chained through, the last carry added back (end-around). */
		__asm__("adds %0, %0, %1\n\t"
			"adcs %0, %0, %2\n\t"
			"adcs %0, %0, %3\n\t"
			"adcs %0, %0, %4\n\t"
			"adc %0, %0, xzr"
			: "+r"(sum)
			: "r"(w[0]), "r"(w[1]), "r"(w[2]), "r"(w[3])
			: "cc");
		p += 32;
		len -= 32;
	}
	while (len >= 8) {
		u64 a = *(const u64 *)p;
		sum += a;
		sum += sum < a; /* end-around carry */
		p += 8;
		len -= 8;
	}
	while (len >= 2) {
		u64 w = *(const u16 *)p;
		sum += w;
		sum += sum < w;
		p += 2;
		len -= 2;
	}
	if (len > 0) {
		u64 w = *p;
		sum += w;
		sum += sum < w;
	}
	sum = (sum & 0xffffffffULL) + (sum >> 32);
	sum = (sum & 0xffffffffULL) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	if (odd)
		sum = ((sum & 0xff) << 8) | (sum >> 8);
	return (unsigned short)sum;
}

u32_t sys_now(void) { return (u32_t)now_ms(); }

void wl_lwip_assert(const char *msg, const char *file, int line)
{
	panic_at(file, line, 0, "lwIP assertion: %s", msg);
}

/* lwIP lets 0.0.0.0 through as a source address for DHCP's sake; anything
 * else from it (a TCP SYN would be answered with a SYN-ACK to the broadcast
 * address, smoltcp #1144) is dropped here. Returns 1 when the packet is eaten. */
int wl_ip4_input_hook(struct pbuf *p, struct netif *inp)
{
	(void)inp;
#ifdef ZOO_SMOLTCP_1144
	/* Bug zoo smoltcp-1144: the filter is missing. */
	(void)p;
	return 0;
#else
	const struct ip_hdr *ip = (const struct ip_hdr *)p->payload;
	if (p->len < IP_HLEN || !ip4_addr_isany_val(ip->src) || IPH_PROTO(ip) == IP_PROTO_UDP)
		return 0;
	pbuf_free(p);
	return 1;
#endif
}

static err_t linkoutput(struct netif *n, struct pbuf *p)
{
	(void)n;
	return virtio_net_tx(p) ? ERR_MEM : ERR_OK;
}

static err_t vnetif_init(struct netif *n)
{
	n->name[0] = 'e';
	n->name[1] = 'n';
	n->output = etharp_output;
	n->linkoutput = linkoutput;
	n->mtu = 1500;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, vnet_mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_LINK_UP;
	return ERR_OK;
}

static void status_cb(struct netif *n)
{
	if (!ip4_addr_isany_val(*netif_ip4_addr(n)) && !net_ready) {
		char a[16], g[16];
		ip4addr_ntoa_r(netif_ip4_addr(n), a, sizeof a);
		ip4addr_ntoa_r(netif_ip4_gw(n), g, sizeof g);
		kprintf("wirelab-guest: ip %s gw %s%s\n", a, g, use_dhcp ? " (dhcp)" : "");
		net_ready = 1;
		wakeup(&net_ready);
	}
}

/* IRQ context or any thread: make the network thread run. */
void net_kick(void)
{
	net_pending = 1;
	wakeup((const void *)&net_pending);
}

static int parse_ip(const char *s, ip4_addr_t *a)
{
	return ip4addr_aton(s, a);
}

void net_init(void)
{
	const char *v;
	if ((v = bootarg("seed")))
		prng_seed((u64)atoi(v) * 0x9E3779B97F4A7C15ULL + 1);
	wl_lwip_heap = kalloc_pages(MEM_SIZE + 4096, 0);
	lwip_init();
	ip4_addr_t ip, mask, gw;
	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	if ((v = bootarg("ip"))) {
		if (!strcmp(v, "dhcp")) {
			use_dhcp = 1;
		} else {
			char tmp[32];
			size_t l = strlen(v);
			if (l < sizeof tmp) {
				memcpy(tmp, v, l + 1);
				char *slash = strchr(tmp, '/');
				int bits = 24;
				if (slash) {
					*slash = 0;
					bits = atoi(slash + 1);
				}
				parse_ip(tmp, &ip);
				if (bits > 0 && bits <= 32)
					mask.addr = lwip_htonl(0xffffffffU << (32 - bits));
			}
		}
	}
	if ((v = bootarg("gw")))
		parse_ip(v, &gw);
	if (use_dhcp)
		ip4_addr_set_zero(&ip), ip4_addr_set_zero(&mask), ip4_addr_set_zero(&gw);
	netif_add(&nif, &ip, &mask, &gw, 0, vnetif_init, ethernet_input);
	netif_set_default(&nif);
	netif_set_status_callback(&nif, status_cb);
	netif_set_up(&nif);
	if (use_dhcp)
		dhcp_start(&nif);
}

/* The network thread: polls the device and lwIP's timers with preemption
 * disabled (lwIP is not reentrant), then sleeps until an interrupt, a kick
 * from the socket layer, or lwIP's next timeout. */
void net_thread_main(u64 arg)
{
	(void)arg;
	for (;;) {
		preempt_disable();
#if defined(ZOO_AKUMA_DEADLOCK)
		u64 zf = zoo_stack_lock_irqsave();
#elif defined(ZOO_AKUMA_TORN_STATE)
		zoo_borrow_mut();
#endif
		net_pending = 0;
		/* At most 64 frames per preemption-disabled section: under a flood
		 * the other threads still run between batches. */
		if (virtio_net_poll_rx(&nif, 64) == 64)
			net_pending = 1;
		virtio_net_reclaim();
		sys_check_timeouts();
		u32 ms = sys_timeouts_sleeptime();
		u32 cap = vnet_irq_ok ? 50 : 1000 / HZ;
		if (ms > cap)
			ms = cap;
#if defined(ZOO_AKUMA_DEADLOCK)
		zoo_stack_unlock_irqrestore(zf);
#elif defined(ZOO_AKUMA_TORN_STATE)
		zoo_release();
#endif
		u64 deadline = timer_now() + (u64)ms * (timer_freq() / 1000) + 1;
		u64 f = irq_save();
		if (!net_pending)
			sleep_on((const void *)&net_pending, deadline);
		irq_restore(f);
		preempt_enable();
	}
}
