package dev.wirelab.emulator.boot;

import dev.wirelab.emulator.board.VirtMemoryMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a boot image may be put: one RAM range, one flash range, and device
 * windows that nothing may overwrite.
 *
 * @param ramBase   first RAM address
 * @param ramSize   RAM size in bytes
 * @param flashBase first flash address (firmware starts here)
 * @param flashSize flash size in bytes (0 for none)
 * @param devices   MMIO windows; no chunk may touch them
 */
public record MemoryLayout(long ramBase, long ramSize, long flashBase, long flashSize, List<Window> devices) {

    /**
     * A device window.
     *
     * @param name short device name, for messages
     * @param base first address
     * @param size size in bytes
     */
    public record Window(String name, long base, long size) {
        /** First address past the window. */
        public long end() {
            return base + size;
        }
    }

    public MemoryLayout {
        if (ramSize <= 0 || flashSize < 0) {
            throw new IllegalArgumentException("RAM size must be > 0 and flash size >= 0");
        }
        if (ramBase + ramSize < ramBase || flashBase + flashSize < flashBase) {
            throw new IllegalArgumentException("RAM or flash range wraps around the address space");
        }
        devices = List.copyOf(devices);
    }

    /** First address past RAM. */
    public long ramEnd() {
        return ramBase + ramSize;
    }

    /** First address past flash. */
    public long flashEnd() {
        return flashBase + flashSize;
    }

    /** The QEMU-virt layout (VirtMemoryMap) with {@code ramSize} bytes of RAM and every device window. */
    public static MemoryLayout virt(long ramSize) {
        List<Window> w = new ArrayList<>();
        w.add(new Window("gic-dist", VirtMemoryMap.GIC_DIST_BASE, VirtMemoryMap.GIC_DIST_SIZE));
        w.add(new Window("gic-cpu", VirtMemoryMap.GIC_CPU_BASE, VirtMemoryMap.GIC_CPU_SIZE));
        w.add(new Window("gic-redist", VirtMemoryMap.GIC_REDIST_BASE, VirtMemoryMap.GIC_REDIST_SIZE));
        w.add(new Window("pl011", VirtMemoryMap.UART_BASE, VirtMemoryMap.UART_SIZE));
        w.add(new Window("pl031", VirtMemoryMap.RTC_BASE, VirtMemoryMap.RTC_SIZE));
        w.add(new Window("fw-cfg", VirtMemoryMap.FW_CFG_BASE, VirtMemoryMap.FW_CFG_SIZE));
        w.add(new Window("virtio-mmio", VirtMemoryMap.VIRTIO_BASE,
                VirtMemoryMap.VIRTIO_STRIDE * VirtMemoryMap.VIRTIO_SLOTS));
        return new MemoryLayout(VirtMemoryMap.RAM_BASE, ramSize, VirtMemoryMap.FLASH_BASE,
                VirtMemoryMap.FLASH_SIZE, w);
    }
}
