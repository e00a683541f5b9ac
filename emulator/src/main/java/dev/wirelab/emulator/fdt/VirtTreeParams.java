package dev.wirelab.emulator.fdt;

import dev.wirelab.emulator.board.VirtMemoryMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What varies in the board's device tree.
 *
 * @param ramBase     first RAM address (0x40000000 on virt)
 * @param ramSize     RAM size in bytes
 * @param gicVersion  2 (GICv2, "arm,cortex-a15-gic") or 3 ("arm,gic-v3")
 * @param psciMethod  "hvc" or "smc"
 * @param bootargs    kernel command line; /chosen/bootargs is omitted when empty
 * @param virtioSlots virtio-mmio slots (0-31) to describe
 * @param fwCfg       whether to describe fw-cfg@9020000
 * @param cpu         "cortex-a72" or "max" (QEMU 7.2 describes -cpu max as "arm,cortex-a57")
 * @param initrdStart first byte of the initrd, named in /chosen as linux,initrd-start (with initrdEnd > initrdStart)
 * @param initrdEnd   first byte past the initrd; both 0 for none
 */
public record VirtTreeParams(long ramBase, long ramSize, int gicVersion, String psciMethod, String bootargs,
                             List<Integer> virtioSlots, boolean fwCfg, String cpu, long initrdStart, long initrdEnd) {

    public VirtTreeParams {
        if (gicVersion != 2 && gicVersion != 3) {
            throw new IllegalArgumentException("gicVersion must be 2 or 3, not " + gicVersion);
        }
        if (!"hvc".equals(psciMethod) && !"smc".equals(psciMethod)) {
            throw new IllegalArgumentException("psciMethod must be \"hvc\" or \"smc\", not \"" + psciMethod + "\"");
        }
        if (ramSize <= 0 || ramSize > VirtMemoryMap.RAM_MAX) {
            throw new IllegalArgumentException("ramSize 0x" + Long.toHexString(ramSize) + " must be > 0 and <= 0x"
                    + Long.toHexString(VirtMemoryMap.RAM_MAX));
        }
        if (ramBase < VirtMemoryMap.RAM_BASE || ramBase > VirtMemoryMap.RAM_BASE + VirtMemoryMap.RAM_MAX - ramSize) {
            throw new IllegalArgumentException("RAM [0x" + Long.toHexString(ramBase) + " + 0x" + Long.toHexString(ramSize)
                    + ") must lie within [0x" + Long.toHexString(VirtMemoryMap.RAM_BASE) + ", 0x"
                    + Long.toHexString(VirtMemoryMap.RAM_BASE + VirtMemoryMap.RAM_MAX) + ")");
        }
        if ((ramBase | ramSize) % 4096 != 0) {
            throw new IllegalArgumentException("RAM base and size must be multiples of 4 KiB");
        }
        bootargs = bootargs == null ? "" : bootargs;
        if (bootargs.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("bootargs must not contain NUL");
        }
        virtioSlots = List.copyOf(virtioSlots);
        Set<Integer> seen = new HashSet<>();
        for (int s : virtioSlots) {
            if (s < 0 || s >= VirtMemoryMap.VIRTIO_SLOTS) {
                throw new IllegalArgumentException("virtio slot " + s + " is not in 0.." + (VirtMemoryMap.VIRTIO_SLOTS - 1));
            }
            if (!seen.add(s)) {
                throw new IllegalArgumentException("virtio slot " + s + " listed twice");
            }
        }
        if (!"cortex-a72".equals(cpu) && !"max".equals(cpu)) {
            throw new IllegalArgumentException("cpu must be \"cortex-a72\" or \"max\", not \"" + cpu + "\"");
        }
        if (Long.compareUnsigned(initrdEnd, initrdStart) < 0) {
            throw new IllegalArgumentException("initrd end 0x" + Long.toHexString(initrdEnd) + " before its start 0x"
                    + Long.toHexString(initrdStart));
        }
    }

    /** Without an initrd. */
    public VirtTreeParams(long ramBase, long ramSize, int gicVersion, String psciMethod, String bootargs,
                          List<Integer> virtioSlots, boolean fwCfg, String cpu) {
        this(ramBase, ramSize, gicVersion, psciMethod, bootargs, virtioSlots, fwCfg, cpu, 0, 0);
    }

    /** The same tree naming an initrd at [start, end) in /chosen. */
    public VirtTreeParams withInitrd(long start, long end) {
        return new VirtTreeParams(ramBase, ramSize, gicVersion, psciMethod, bootargs, virtioSlots, fwCfg, cpu, start, end);
    }

    public boolean hasInitrd() {
        return initrdEnd != initrdStart;
    }

    /** The same parameters as QEMU's virt without a CPU model choice: cpu = "cortex-a72". */
    public VirtTreeParams(long ramBase, long ramSize, int gicVersion, String psciMethod, String bootargs,
                          List<Integer> virtioSlots, boolean fwCfg) {
        this(ramBase, ramSize, gicVersion, psciMethod, bootargs, virtioSlots, fwCfg, "cortex-a72");
    }

    /** 128 MiB at 0x40000000, GICv3, PSCI over HVC, no bootargs, virtio slots 0-2, fw-cfg, Cortex-A72. */
    public static VirtTreeParams defaults() {
        return new VirtTreeParams(VirtMemoryMap.RAM_BASE, 128L << 20, 3, "hvc", "", List.of(0, 1, 2), true, "cortex-a72");
    }
}
