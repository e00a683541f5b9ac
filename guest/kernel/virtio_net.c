/* virtio-net over virtio-mmio, modern (version 2) and legacy (version 1).
 * One RX and one TX queue; RX interrupt-driven with a polling fallback.
 * Frames from the device are length-checked before lwIP sees them. */
#include "kernel.h"
#include "lwip/pbuf.h"
#include "lwip/netif.h"

#define VIRTIO_MAGIC 0x000
#define VIRTIO_VERSION 0x004
#define VIRTIO_DEVICE_ID 0x008
#define VIRTIO_DEV_FEATURES 0x010
#define VIRTIO_DEV_FEATURES_SEL 0x014
#define VIRTIO_DRV_FEATURES 0x020
#define VIRTIO_DRV_FEATURES_SEL 0x024
#define VIRTIO_GUEST_PAGE_SIZE 0x028 /* legacy */
#define VIRTIO_QUEUE_SEL 0x030
#define VIRTIO_QUEUE_NUM_MAX 0x034
#define VIRTIO_QUEUE_NUM 0x038
#define VIRTIO_QUEUE_ALIGN 0x03c /* legacy */
#define VIRTIO_QUEUE_PFN 0x040   /* legacy */
#define VIRTIO_QUEUE_READY 0x044
#define VIRTIO_QUEUE_NOTIFY 0x050
#define VIRTIO_INT_STATUS 0x060
#define VIRTIO_INT_ACK 0x064
#define VIRTIO_STATUS 0x070
#define VIRTIO_QUEUE_DESC_LO 0x080
#define VIRTIO_QUEUE_DESC_HI 0x084
#define VIRTIO_QUEUE_AVAIL_LO 0x090
#define VIRTIO_QUEUE_AVAIL_HI 0x094
#define VIRTIO_QUEUE_USED_LO 0x0a0
#define VIRTIO_QUEUE_USED_HI 0x0a4
#define VIRTIO_CONFIG 0x100

#define ST_ACK 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define ST_FAILED 128

#define F_NET_MAC (1U << 5)
#define F_ANY_LAYOUT (1U << 27)
#define F_VERSION_1_HI (1U << 0) /* feature bit 32 */

#define QSZ 32
#define BUFSZ 2048
#define DESC_F_NEXT 1
#define DESC_F_WRITE 2

struct vdesc { u64 addr; u32 len; u16 flags; u16 next; };
struct vavail { u16 flags; u16 idx; u16 ring[QSZ]; u16 used_event; };
struct vused_elem { u32 id; u32 len; };
struct vused { u16 flags; u16 idx; struct vused_elem ring[QSZ]; u16 avail_event; };

struct vq {
	int index;
	struct vdesc *desc;
	struct vavail *avail;
	volatile struct vused *used;
	u16 last_used;
	u8 *bufs;
	u16 free_head[QSZ];
	int nfree;
};

static u64 base;
static int version;
static u32 hdrlen;
/* Receive buffers start this far into their 2 KiB slots so that the frame
 * after the virtio-net header is 8-aligned, like the pbuf it is copied to: an
 * aligned copy moves 32 bytes per loop, a shifting one 8 per 5 instructions.
 * Transmit buffers are placed per frame at the offset of the frame in its pbuf
 * (lwIP puts the data, not the headers, on the aligned address). */
static u32 pad;
static struct vq rxq, txq;
u8 vnet_mac[6];
int vnet_irq_ok;
static u32 rx_dropped;

static u32 rd(u32 off) { return mmio_r32(base + off); }
static void wr(u32 off, u32 v) { mmio_w32(base + off, v); }

static int vq_setup(struct vq *q, int index)
{
	q->index = index;
	wr(VIRTIO_QUEUE_SEL, index);
	u32 max = rd(VIRTIO_QUEUE_NUM_MAX);
	if (max < QSZ)
		return -1;
	/* desc (16*QSZ) + avail at +16*QSZ; used on the next page (legacy layout). */
	u8 *mem = kalloc_pages(8192, 1);
	q->desc = (struct vdesc *)mem;
	q->avail = (struct vavail *)(mem + 16 * QSZ);
	q->used = (volatile struct vused *)(mem + 4096);
	q->bufs = kalloc_pages(QSZ * BUFSZ, 0);
	wr(VIRTIO_QUEUE_NUM, QSZ);
	if (version == 1) {
		wr(VIRTIO_QUEUE_ALIGN, 4096);
		wr(VIRTIO_QUEUE_PFN, (u32)((u64)mem >> 12));
	} else {
		wr(VIRTIO_QUEUE_DESC_LO, (u32)(u64)q->desc);
		wr(VIRTIO_QUEUE_DESC_HI, (u32)((u64)q->desc >> 32));
		wr(VIRTIO_QUEUE_AVAIL_LO, (u32)(u64)q->avail);
		wr(VIRTIO_QUEUE_AVAIL_HI, (u32)((u64)q->avail >> 32));
		wr(VIRTIO_QUEUE_USED_LO, (u32)(u64)q->used);
		wr(VIRTIO_QUEUE_USED_HI, (u32)((u64)q->used >> 32));
		wr(VIRTIO_QUEUE_READY, 1);
	}
	for (int i = 0; i < QSZ; i++) {
		q->desc[i].addr = (u64)(q->bufs + i * BUFSZ + pad);
		q->desc[i].len = BUFSZ - pad;
	}
	return 0;
}

static void rx_post(u16 id)
{
	rxq.desc[id].len = BUFSZ - pad;
	rxq.desc[id].flags = DESC_F_WRITE;
	u16 ai = rxq.avail->idx;
	rxq.avail->ring[ai % QSZ] = id;
	dmb();
	rxq.avail->idx = ai + 1;
}

static void vnet_irq(int id, void *arg)
{
	(void)id; (void)arg;
	u32 st = rd(VIRTIO_INT_STATUS);
	wr(VIRTIO_INT_ACK, st);
	net_kick();
}

int virtio_net_probe(void)
{
	u64 cand[32];
	int irqs[32], n = 0;
	if (board.nvirtio) {
		for (int i = 0; i < board.nvirtio; i++)
			cand[n] = board.virtio_base[i], irqs[n++] = board.virtio_irq[i];
	} else {
		for (int i = 0; i < 32; i++)
			cand[n] = 0x0a000000 + i * 0x200, irqs[n++] = 32 + 16 + i;
	}
	/* Scan all slots; QEMU puts the first device in the highest slot. Pick the
	 * net device with the highest address. */
	int pick = -1;
	for (int i = 0; i < n; i++) {
		if (mmio_r32(cand[i] + VIRTIO_MAGIC) != 0x74726976 || mmio_r32(cand[i] + VIRTIO_DEVICE_ID) != 1)
			continue;
		if (pick < 0 || cand[i] > cand[pick])
			pick = i;
	}
	if (pick < 0)
		return -1;
	base = cand[pick];
	version = rd(VIRTIO_VERSION);
	if (version != 1 && version != 2)
		return -1;
	wr(VIRTIO_STATUS, 0);
	wr(VIRTIO_STATUS, ST_ACK);
	wr(VIRTIO_STATUS, ST_ACK | ST_DRIVER);
	wr(VIRTIO_DEV_FEATURES_SEL, 0);
	u32 f0 = rd(VIRTIO_DEV_FEATURES);
	u32 want0 = f0 & (F_NET_MAC | F_ANY_LAYOUT);
	wr(VIRTIO_DRV_FEATURES_SEL, 0);
	wr(VIRTIO_DRV_FEATURES, want0);
	if (version == 2) {
		wr(VIRTIO_DEV_FEATURES_SEL, 1);
		u32 f1 = rd(VIRTIO_DEV_FEATURES);
		if (!(f1 & F_VERSION_1_HI)) {
			wr(VIRTIO_STATUS, ST_FAILED);
			return -1;
		}
		wr(VIRTIO_DRV_FEATURES_SEL, 1);
		wr(VIRTIO_DRV_FEATURES, F_VERSION_1_HI);
		wr(VIRTIO_STATUS, ST_ACK | ST_DRIVER | ST_FEATURES_OK);
		if (!(rd(VIRTIO_STATUS) & ST_FEATURES_OK)) {
			wr(VIRTIO_STATUS, ST_FAILED);
			return -1;
		}
		hdrlen = 12;
	} else {
		wr(VIRTIO_GUEST_PAGE_SIZE, 4096);
		hdrlen = 10;
	}
	pad = (8 - hdrlen % 8) % 8;
	if (vq_setup(&rxq, 0) || vq_setup(&txq, 1)) {
		wr(VIRTIO_STATUS, ST_FAILED);
		return -1;
	}
	for (int i = 0; i < QSZ; i++)
		rx_post(i);
	txq.nfree = QSZ;
	for (int i = 0; i < QSZ; i++)
		txq.free_head[i] = QSZ - 1 - i;
	if (want0 & F_NET_MAC) {
		for (int i = 0; i < 6; i++)
			vnet_mac[i] = mmio_r8(base + VIRTIO_CONFIG + i);
	} else {
		u8 def[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
		memcpy(vnet_mac, def, 6);
	}
	wr(VIRTIO_STATUS, rd(VIRTIO_STATUS) | ST_DRIVER_OK);
	dsb();
	wr(VIRTIO_QUEUE_NOTIFY, 0);
	int irq = irqs[pick];
	if (irq >= 32) {
		irq_register(irq, vnet_irq, 0);
		vnet_irq_ok = 1;
	}
	kprintf("wirelab-guest: virtio-net %s at slot %d irq %d mac %02x:%02x:%02x:%02x:%02x:%02x\n",
		version == 2 ? "modern" : "legacy", (int)((base - 0x0a000000) / 0x200), irq,
		vnet_mac[0], vnet_mac[1], vnet_mac[2], vnet_mac[3], vnet_mac[4], vnet_mac[5]);
	return 0;
}

/* Network thread, preemption disabled. Returns the number of frames handled. */
int virtio_net_poll_rx(struct netif *nif, int budget)
{
	int n = 0, posted = 0;
	while (n < budget) {
		dmb();
		u16 uidx = rxq.used->idx;
		if (uidx == rxq.last_used)
			break;
		struct vused_elem e = rxq.used->ring[rxq.last_used % QSZ];
		rxq.last_used++;
		n++;
		u32 id = e.id;
		if (id >= QSZ) {
			/* A device that reports a descriptor we never posted is broken. */
			panic("virtio-net: used ring id %u out of range", id);
		}
		u32 len = e.len;
		if (len < hdrlen + 14 || len > BUFSZ - pad) {
			rx_dropped++;
		} else {
			u32 fl = len - hdrlen;
			struct pbuf *p = pbuf_alloc(PBUF_RAW, fl, PBUF_POOL);
			if (p) {
				pbuf_take(p, rxq.bufs + id * BUFSZ + pad + hdrlen, fl);
				if (nif->input(p, nif) != ERR_OK)
					pbuf_free(p);
			} else {
				rx_dropped++;
			}
		}
		rx_post(id);
		posted = 1;
	}
	if (posted) {
		dsb();
		wr(VIRTIO_QUEUE_NOTIFY, 0);
	}
	return n;
}

void virtio_net_reclaim(void)
{
	dmb();
	while (txq.last_used != txq.used->idx) {
		u32 id = txq.used->ring[txq.last_used % QSZ].id;
		txq.last_used++;
		if (id < QSZ && txq.nfree < QSZ)
			txq.free_head[txq.nfree++] = id;
	}
}

/* Caller holds preemption disabled. */
int virtio_net_tx(struct pbuf *frame)
{
	u32 len = frame->tot_len;
	if (!base || len > BUFSZ - 7 - hdrlen)
		return -1;
	if (!txq.nfree)
		virtio_net_reclaim();
	if (!txq.nfree)
		return -1;
	u16 id = txq.free_head[--txq.nfree];
	u8 *b = txq.bufs + id * BUFSZ + (((u64)frame->payload - hdrlen) & 7);
	memset(b, 0, hdrlen);
	pbuf_copy_partial(frame, b + hdrlen, len, 0);
	txq.desc[id].addr = (u64)b;
	txq.desc[id].len = hdrlen + len;
	txq.desc[id].flags = 0;
	u16 ai = txq.avail->idx;
	txq.avail->ring[ai % QSZ] = id;
	dmb();
	txq.avail->idx = ai + 1;
	dsb();
	wr(VIRTIO_QUEUE_NOTIFY, 1);
	return 0;
}
