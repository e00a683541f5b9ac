#include "gic.h"

// GICv2 distributor / CPU interface registers.
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ISACTIVER 0x300
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_SGIR 0xF00
#define GICD_IROUTER 0x6000
#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00C
#define GICC_EOIR 0x010
#define GICC_RPR 0x014
// GICv3 additions.
#define GICD_CTLR_RWP (1u << 31)
#define GICR_WAKER 0x014
#define GICR_WAKER_PROCESSOR_SLEEP (1u << 1)
#define GICR_WAKER_CHILDREN_ASLEEP (1u << 2)
#define GICR_IGROUPR0 0x080

#define ICC_SRE_EL1 S3_0_C12_C12_5
#define ICC_PMR_EL1 S3_0_C4_C6_0
#define ICC_BPR1_EL1 S3_0_C12_C12_3
#define ICC_IGRPEN1_EL1 S3_0_C12_C12_7
#define ICC_IAR1_EL1 S3_0_C12_C12_0
#define ICC_EOIR1_EL1 S3_0_C12_C12_1
#define ICC_RPR_EL1 S3_0_C12_C11_3
#define ICC_SGI1R_EL1 S3_0_C12_C11_5
#define ICC_IGRPEN0_EL1 S3_0_C12_C12_6
#define ICC_BPR0_EL1 S3_0_C12_C8_3
#define ICC_IAR0_EL1 S3_0_C12_C8_0
#define ICC_EOIR0_EL1 S3_0_C12_C8_1
#define GICD_IGROUPR 0x080
#define GICC_CTLR_ENABLE_GRP1 (1u << 1)
#define GICC_CTLR_ACK_CTL (1u << 2)
#define GICC_CTLR_FIQ_EN (1u << 3)

static int version;

static int has_string(const char *list, u32 len, const char *want) {
    u32 i = 0;
    while (i < len) {
        if (strcmp(list + i, want) == 0) return 1;
        i += strlen(list + i) + 1;
    }
    return 0;
}

int gic_discover(void) {
    const u8 *fdt = find_dtb();
    if (be32(fdt) != 0xd00dfeed) return 0;
    const u8 *structs = fdt + be32(fdt + 8);
    const char *strings = (const char *)fdt + be32(fdt + 12);
    u32 size = be32(fdt + 36), off = 0;
    while (off < size) {
        u32 token = be32(structs + off);
        off += 4;
        if (token == 1) {                 // FDT_BEGIN_NODE
            off = (off + strlen((const char *)structs + off) + 1 + 3) & ~3u;
        } else if (token == 3) {          // FDT_PROP
            u32 len = be32(structs + off);
            const char *name = strings + be32(structs + off + 4);
            const char *val = (const char *)structs + off + 8;
            off = (off + 8 + len + 3) & ~3u;
            if (strcmp(name, "compatible") != 0) continue;
            if (has_string(val, len, "arm,gic-v3")) version = 3;
            else if (has_string(val, len, "arm,cortex-a15-gic")) version = 2;
        } else if (token == 9) {          // FDT_END
            break;
        }
    }
    return version;
}

int gic_version(void) { return version; }

// Where the enable/pending/active/priority registers of intid live: GICv3 keeps
// SGIs and PPIs in the redistributor's SGI frame, SPIs in the distributor.
static inline u64 bank_base(u32 intid) { return version == 3 && intid < 32 ? GICR_SGI_BASE : GICD_BASE; }

void gic_init(void) {
    if (version == 3) {
        mmio_write32(GICD_BASE + GICD_CTLR, 0x13);   // ARE, EnableGrp1, EnableGrp0 (DS = 1)
        while (mmio_read32(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP) { }
        u32 waker = mmio_read32(GICR_BASE + GICR_WAKER);
        mmio_write32(GICR_BASE + GICR_WAKER, waker & ~GICR_WAKER_PROCESSOR_SLEEP);
        while (mmio_read32(GICR_BASE + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP) { }
        mmio_write32(GICR_SGI_BASE + GICR_IGROUPR0, 0xffffffffu);
        WRITE_SYSREG(ICC_SRE_EL1, READ_SYSREG(ICC_SRE_EL1) | 1);
        ISB();
        WRITE_SYSREG(ICC_PMR_EL1, 0xff);
        WRITE_SYSREG(ICC_BPR1_EL1, 0);
        WRITE_SYSREG(ICC_IGRPEN1_EL1, 1);
        ISB();
    } else {
        mmio_write32(GICD_BASE + GICD_CTLR, 1);
        mmio_write32(GICC_BASE + GICC_PMR, 0xff);
        mmio_write32(GICC_BASE + GICC_BPR, 0);
        mmio_write32(GICC_BASE + GICC_CTLR, 1);
    }
}

void gic_enable(u32 intid, u32 priority) {
    if (intid >= 32 && version == 3) {
        u64 igroupr = GICD_BASE + GICR_IGROUPR0 + 4 * (intid / 32);   // GICD_IGROUPR<n>: group 1
        mmio_write32(igroupr, mmio_read32(igroupr) | 1u << (intid % 32));
        *(volatile u64 *)(GICD_BASE + GICD_IROUTER + 8 * intid) = 0;   // affinity 0.0.0.0: this CPU
    } else if (intid >= 32) {
        *(volatile u8 *)(GICD_BASE + GICD_ITARGETSR + intid) = 1;       // CPU interface 0
    }
    *(volatile u8 *)(bank_base(intid) + GICD_IPRIORITYR + intid) = (u8)priority;
    mmio_write32(bank_base(intid) + GICD_ISENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

void gic_disable(u32 intid) {
    mmio_write32(bank_base(intid) + GICD_ICENABLER + 4 * (intid / 32), 1u << (intid % 32));
}

u32 gic_ack(void) {
    if (version == 3) {
        u32 iar = READ_SYSREG(ICC_IAR1_EL1);
        __asm__ volatile("dsb sy" : : : "memory");
        return iar;
    }
    return mmio_read32(GICC_BASE + GICC_IAR);
}

void gic_eoi(u32 iar) {
    if (version == 3) {
        WRITE_SYSREG(ICC_EOIR1_EL1, iar);
        ISB();
    } else {
        mmio_write32(GICC_BASE + GICC_EOIR, iar);
    }
}

u32 gic_running_priority(void) {
    if (version == 3) return READ_SYSREG(ICC_RPR_EL1) & 0xff;
    return mmio_read32(GICC_BASE + GICC_RPR) & 0xff;
}

u32 gic_pending_mask(void) { return mmio_read32(bank_base(0) + GICD_ISPENDR); }

int gic_pending(u32 intid) {
    return (mmio_read32(bank_base(intid) + GICD_ISPENDR + 4 * (intid / 32)) >> (intid % 32)) & 1;
}

int gic_active(u32 intid) {
    return (mmio_read32(bank_base(intid) + GICD_ISACTIVER + 4 * (intid / 32)) >> (intid % 32)) & 1;
}

void gic_send_sgi_self(u32 intid) {
    if (version == 3) {
        WRITE_SYSREG(ICC_SGI1R_EL1, (u64)(intid & 15) << 24 | 1);   // Aff3.2.1 = 0, target list CPU 0
        ISB();
    } else {
        mmio_write32(GICD_BASE + GICD_SGIR, 2u << 24 | (intid & 15));   // TargetListFilter: self
    }
}

void gic_set_group(u32 intid, int group) {
    u64 reg = bank_base(intid) + GICD_IGROUPR + 4 * (intid / 32);
    u32 bit = 1u << (intid % 32);
    mmio_write32(reg, group ? mmio_read32(reg) | bit : mmio_read32(reg) & ~bit);
}

void gic_fiq_enable(void) {
    if (version == 3) {
        WRITE_SYSREG(ICC_BPR0_EL1, 0);
        WRITE_SYSREG(ICC_IGRPEN0_EL1, 1);
        ISB();
    } else {
        mmio_write32(GICD_BASE + GICD_CTLR, 3);   // EnableGrp0 | EnableGrp1
        mmio_write32(GICC_BASE + GICC_CTLR,
                     1 | GICC_CTLR_ENABLE_GRP1 | GICC_CTLR_ACK_CTL | GICC_CTLR_FIQ_EN);
    }
}

u32 gic_ack0(void) {
    if (version == 3) {
        u32 iar = READ_SYSREG(ICC_IAR0_EL1);
        __asm__ volatile("dsb sy" : : : "memory");
        return iar;
    }
    return mmio_read32(GICC_BASE + GICC_IAR);
}

void gic_eoi0(u32 iar) {
    if (version == 3) {
        WRITE_SYSREG(ICC_EOIR0_EL1, iar);
        ISB();
    } else {
        mmio_write32(GICC_BASE + GICC_EOIR, iar);
    }
}
