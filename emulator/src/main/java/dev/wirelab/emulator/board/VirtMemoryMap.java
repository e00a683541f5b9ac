package dev.wirelab.emulator.board;

/**
 * Addresses and interrupt numbers of QEMU's {@code virt} machine (hw/arm/virt.c
 * base_memmap and a15irqmap) that wirelab reproduces. Kernels written for QEMU
 * virt hard-code many of these, so they are not configurable.
 */
public final class VirtMemoryMap {
    private VirtMemoryMap() { }

    public static final long FLASH_BASE = 0x0000_0000L;
    /** Two 64 MiB banks in QEMU; firmware runs from the first. */
    public static final long FLASH_SIZE = 0x0800_0000L;

    public static final long GIC_DIST_BASE = 0x0800_0000L;
    public static final long GIC_DIST_SIZE = 0x0001_0000L;
    /** GICv2 CPU interface. */
    public static final long GIC_CPU_BASE = 0x0801_0000L;
    public static final long GIC_CPU_SIZE = 0x0001_0000L;
    /** GICv3 redistributors: 128 KiB (RD_base + SGI_base frames) per CPU. */
    public static final long GIC_REDIST_BASE = 0x080A_0000L;
    public static final long GIC_REDIST_SIZE = 0x00F6_0000L;
    public static final long GIC_REDIST_STRIDE = 0x2_0000L;

    public static final long UART_BASE = 0x0900_0000L;
    public static final long UART_SIZE = 0x1000L;
    public static final long RTC_BASE = 0x0901_0000L;
    public static final long RTC_SIZE = 0x1000L;
    public static final long FW_CFG_BASE = 0x0902_0000L;
    public static final long FW_CFG_SIZE = 0x18L;

    public static final long VIRTIO_BASE = 0x0A00_0000L;
    public static final long VIRTIO_STRIDE = 0x200L;
    public static final int VIRTIO_SLOTS = 32;

    public static final long RAM_BASE = 0x4000_0000L;
    /** Largest RAM we accept (QEMU virt allows far more below 4 GiB + highmem; we keep guests small). */
    public static final long RAM_MAX = 0x1_0000_0000L;

    /** Shared peripheral interrupts (SPI numbers; GIC INTID = 32 + spi). */
    public static final int UART_SPI = 1;
    public static final int RTC_SPI = 2;
    public static final int VIRTIO_SPI_BASE = 16;

    /** Private peripheral interrupts of the generic timer (INTIDs). */
    public static final int PPI_SECURE_PHYS_TIMER = 29;
    public static final int PPI_NONSECURE_PHYS_TIMER = 30;
    public static final int PPI_VIRT_TIMER = 27;
    public static final int PPI_HYP_TIMER = 26;

    public static long virtioSlotBase(int slot) {
        if (slot < 0 || slot >= VIRTIO_SLOTS) {
            throw new IllegalArgumentException("virtio slot " + slot + " (the board has slots 0.." + (VIRTIO_SLOTS - 1) + ")");
        }
        return VIRTIO_BASE + slot * VIRTIO_STRIDE;
    }

    public static int spiIntid(int spi) {
        return 32 + spi;
    }
}
