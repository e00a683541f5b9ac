package dev.wirelab.emulator.fdt;

import static dev.wirelab.emulator.board.VirtMemoryMap.*;

import java.util.TreeSet;

/**
 * The board's device tree, modelled on what QEMU 7.2's hw/arm/virt.c generates for
 * {@code -M virt}: the same node names, compatibles, reg and interrupt specifiers
 * and phandle values (0x8000 clock, 0x8001 cpu, 0x8002 GIC), in QEMU's node order,
 * for the devices wirelab has. Left out because wirelab has no such device: PCIe,
 * platform bus, PL061 GPIO and gpio-keys, PMU, GIC ITS / v2m; also /chosen
 * rng-seed and kaslr-seed (random in QEMU; wirelab is deterministic).
 */
public final class VirtDeviceTree {
    private VirtDeviceTree() { }

    /** GIC interrupt specifier types (first cell). */
    static final int GIC_SPI = 0;
    static final int GIC_PPI = 1;
    /** Trigger flags (third cell). */
    static final int IRQ_EDGE_RISING = 1;
    static final int IRQ_LEVEL_HIGH = 4;
    /** PSCI 0.2+ function ids (SMC64 where there is one), as QEMU advertises. */
    static final int PSCI_CPU_SUSPEND = 0xc400_0001;
    static final int PSCI_CPU_OFF = 0x8400_0002;
    static final int PSCI_CPU_ON = 0xc400_0003;
    static final int PSCI_MIGRATE = 0xc400_0005;
    /** apb-pclk fixed clock frequency (24 MHz). */
    static final int APB_PCLK_HZ = 24_000_000;
    /** Each of the two CFI flash banks QEMU describes. */
    static final long FLASH_BANK_SIZE = 0x0400_0000L;

    /** Builds the DTB for {@code p}. */
    public static byte[] build(VirtTreeParams p) {
        FdtBuilder b = new FdtBuilder(0x8000);
        int clk = b.allocatePhandle();
        int cpu = b.allocatePhandle();
        int gic = b.allocatePhandle();
        // GICv2 PPIs carry a CPU target mask in flags bits 8-15 (one CPU: 0x1).
        int ppiFlags = p.gicVersion() == 2 ? (1 << 8) | IRQ_LEVEL_HIGH : IRQ_LEVEL_HIGH;

        b.beginNode("")
                .propU32("interrupt-parent", gic)
                .propString("model", "linux,dummy-virt")
                .propU32("#size-cells", 2)
                .propU32("#address-cells", 2)
                .propString("compatible", "linux,dummy-virt");

        b.beginNode("psci")
                .propU32("migrate", PSCI_MIGRATE)
                .propU32("cpu_on", PSCI_CPU_ON)
                .propU32("cpu_off", PSCI_CPU_OFF)
                .propU32("cpu_suspend", PSCI_CPU_SUSPEND)
                .propString("method", p.psciMethod())
                .propStrings("compatible", "arm,psci-1.0", "arm,psci-0.2", "arm,psci")
                .endNode();

        b.beginNode("memory@" + Long.toHexString(p.ramBase()))
                .propReg("reg", 2, 2, p.ramBase(), p.ramSize())
                .propString("device_type", "memory")
                .endNode();

        if (p.fwCfg()) {
            b.beginNode("fw-cfg@" + Long.toHexString(FW_CFG_BASE))
                    .propEmpty("dma-coherent")
                    .propReg("reg", 2, 2, FW_CFG_BASE, FW_CFG_SIZE)
                    .propString("compatible", "qemu,fw-cfg-mmio")
                    .endNode();
        }

        for (int slot : new TreeSet<>(p.virtioSlots())) {
            long base = virtioSlotBase(slot);
            b.beginNode("virtio_mmio@" + Long.toHexString(base))
                    .propEmpty("dma-coherent")
                    .propCells32("interrupts", GIC_SPI, VIRTIO_SPI_BASE + slot, IRQ_EDGE_RISING)
                    .propReg("reg", 2, 2, base, VIRTIO_STRIDE)
                    .propString("compatible", "virtio,mmio")
                    .endNode();
        }

        b.beginNode("pl031@" + Long.toHexString(RTC_BASE))
                .propString("clock-names", "apb_pclk")
                .propU32("clocks", clk)
                .propCells32("interrupts", GIC_SPI, RTC_SPI, IRQ_LEVEL_HIGH)
                .propReg("reg", 2, 2, RTC_BASE, RTC_SIZE)
                .propStrings("compatible", "arm,pl031", "arm,primecell")
                .endNode();

        b.beginNode("pl011@" + Long.toHexString(UART_BASE))
                .propStrings("clock-names", "uartclk", "apb_pclk")
                .propCells32("clocks", clk, clk)
                .propCells32("interrupts", GIC_SPI, UART_SPI, IRQ_LEVEL_HIGH)
                .propReg("reg", 2, 2, UART_BASE, UART_SIZE)
                .propStrings("compatible", "arm,pl011", "arm,primecell")
                .endNode();

        b.beginNode("intc@" + Long.toHexString(GIC_DIST_BASE)).propPhandle(gic);
        if (p.gicVersion() == 3) {
            b.propReg("reg", 2, 2, GIC_DIST_BASE, GIC_DIST_SIZE, GIC_REDIST_BASE, GIC_REDIST_SIZE)
                    .propU32("#redistributor-regions", 1)
                    .propString("compatible", "arm,gic-v3");
        } else {
            b.propReg("reg", 2, 2, GIC_DIST_BASE, GIC_DIST_SIZE, GIC_CPU_BASE, GIC_CPU_SIZE)
                    .propString("compatible", "arm,cortex-a15-gic");
        }
        b.propEmpty("ranges")
                .propU32("#size-cells", 2)
                .propU32("#address-cells", 2)
                .propEmpty("interrupt-controller")
                .propU32("#interrupt-cells", 3)
                .endNode();

        b.beginNode("flash@" + Long.toHexString(FLASH_BASE))
                .propU32("bank-width", 4)
                .propReg("reg", 2, 2, FLASH_BASE, FLASH_BANK_SIZE, FLASH_BASE + FLASH_BANK_SIZE, FLASH_BANK_SIZE)
                .propString("compatible", "cfi-flash")
                .endNode();

        b.beginNode("cpus")
                .propU32("#size-cells", 0)
                .propU32("#address-cells", 1);
        b.beginNode("cpu-map").beginNode("socket0").beginNode("cluster0").beginNode("core0")
                .propU32("cpu", cpu)
                .endNode().endNode().endNode().endNode();
        b.beginNode("cpu@0")
                .propPhandle(cpu)
                .propU32("reg", 0)
                .propString("enable-method", "psci")
                .propString("compatible", "max".equals(p.cpu()) ? "arm,cortex-a57" : "arm,cortex-a72")
                .propString("device_type", "cpu")
                .endNode();
        b.endNode();

        b.beginNode("timer")
                .propCells32("interrupts",
                        GIC_PPI, PPI_SECURE_PHYS_TIMER - 16, ppiFlags,
                        GIC_PPI, PPI_NONSECURE_PHYS_TIMER - 16, ppiFlags,
                        GIC_PPI, PPI_VIRT_TIMER - 16, ppiFlags,
                        GIC_PPI, PPI_HYP_TIMER - 16, ppiFlags)
                .propEmpty("always-on")
                .propStrings("compatible", "arm,armv8-timer", "arm,armv7-timer")
                .endNode();

        b.beginNode("apb-pclk")
                .propPhandle(clk)
                .propString("clock-output-names", "clk24mhz")
                .propU32("clock-frequency", APB_PCLK_HZ)
                .propU32("#clock-cells", 0)
                .propString("compatible", "fixed-clock")
                .endNode();

        b.beginNode("chosen");
        if (p.hasInitrd()) {
            // One cell each, as QEMU 7.2 writes them (RAM ends below 4 GiB on this board).
            b.propU32("linux,initrd-end", (int) p.initrdEnd());
            b.propU32("linux,initrd-start", (int) p.initrdStart());
        }
        if (!p.bootargs().isEmpty()) {
            b.propString("bootargs", p.bootargs());
        }
        b.propString("stdout-path", "/pl011@" + Long.toHexString(UART_BASE)).endNode();

        b.endNode();
        return b.finish();
    }
}
