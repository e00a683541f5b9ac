package dev.wirelab.emulator.difftest;

import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * One test guest run: which image (a classpath resource built by the guest
 * module from guest/tests), how it boots, the board's GIC version, the console
 * input, the exit code it must end with, and what it needs from the board.
 * The expected console output is the golden file {@link #goldenResource()}.
 */
public record GuestCase(String name, String resource, BootKind boot, int gicVersion,
                        byte[] stdin, int expectedExit, Set<Flag> flags) {

    public enum Flag {
        /** Takes a guest exception through VBAR_EL1: wirelab runs it once its exception engine exists. */
        NEEDS_EXCEPTIONS,
        /** Documents a QEMU behaviour wirelab deliberately does not share: not in the differential test. */
        QEMU_ONLY,
        /** PSCI through SMC: QEMU needs {@code -M virt,virtualization=on} (the guest starts at EL2). */
        PSCI_SMC,
        /** Ends with PSCI SYSTEM_RESET: QEMU needs {@code -no-reboot} to exit instead of rebooting. */
        NO_REBOOT,
        /** A benchmark with a documented instruction count; takes about a second under QEMU. */
        BENCH,
        /**
         * wirelab is known to print something else than QEMU (reason and reproduction in
         * {@link #divergence}): skipped by the differential test unless
         * {@code -Dwirelab.difftest.knownDivergences=true}. QEMU's golden transcript is still checked.
         */
        KNOWN_DIVERGENCE
    }

    /** Why a {@link Flag#KNOWN_DIVERGENCE} case differs under wirelab (one line), else empty. */
    public String divergence() {
        return divergenceOf(name);
    }

    private static String divergenceOf(String name) {
        return switch (name) {
            case "mmu_el0_gicv2", "mmu_el0_gicv3" -> "exception from EL0 with the MMU on: wirelab checks the vector"
                    + " with an EL0 translation (VBAR page is EL1-only) and stops with 'no exception vectors installed'";
            case "timer_irq_gicv2", "timer_phys_gicv2", "sgi_gicv2", "masked_nested_gicv2", "preempt_rr_gicv2",
                 "uart_irq_gicv2", "fiq_gicv2", "rtc_alarm_gicv2" -> "GICv2 GICC_IAR (MMIO) reads 0 although it activates the interrupt (GICC_RPR"
                    + " then reads its priority; same cause as uart_poll_pending); QEMU reads the INTID";
            case "wfi_masked_gicv2", "wfi_masked_gicv3" -> "a pending IRQ is not taken at 'msr daifclr, #2' (only at"
                    + " slice boundaries): wfi/daifclr/daifset idle loop never takes the timer IRQ";
            case "uart_poll_pending_gicv2", "uart_poll_pending_gicv3" -> "an MMIO read whose side effect lowers"
                    + " the GIC's output (UARTDR read clearing a pending RX interrupt) returns 0 instead of the byte";
            default -> "";
        };
    }

    /**
     * Whether the run selects this case: {@code -Dwirelab.difftest.cases=REGEX} (matched
     * against the whole name) limits the catalogue, {@code -Dwirelab.difftest.skipBench=true}
     * drops the {@link Flag#BENCH} cases.
     */
    public boolean selected() {
        if (has(Flag.BENCH) && Boolean.getBoolean("wirelab.difftest.skipBench")) {
            return false;
        }
        String only = System.getProperty("wirelab.difftest.cases", "");
        return only.isEmpty() || name.matches(only);
    }

    public GuestCase {
        stdin = stdin.clone();
        flags = Set.copyOf(flags);
        if (gicVersion != 2 && gicVersion != 3) {
            throw new IllegalArgumentException("gic version must be 2 or 3: " + gicVersion);
        }
        if (flags.contains(Flag.KNOWN_DIVERGENCE) && divergenceOf(name).isEmpty()) {
            throw new IllegalArgumentException(name + " is a known divergence without a reason in divergence()");
        }
    }

    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    public boolean has(Flag flag) {
        return flags.contains(flag);
    }

    public boolean needsExceptions() {
        return has(Flag.NEEDS_EXCEPTIONS);
    }

    /**
     * For {@link Flag#BENCH} cases, the exact number of instructions the guest
     * retires from its first instruction to its exit {@code hlt}, inclusive
     * (derived in guest/tests/bench_*.S, checked by guest/tests/tools).
     */
    public OptionalLong benchInstructions() {
        return switch (name) {
            case "bench_compute" -> OptionalLong.of(1_500_000_098L);
            case "bench_store" -> OptionalLong.of(819_600_088L);
            default -> OptionalLong.empty();
        };
    }

    /** Classpath resource of the expected console transcript. */
    public String goldenResource() {
        return "/difftest/" + name + ".txt";
    }

    /** File name of the image, for temporary copies. */
    public String fileName() {
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return name;
    }

    private static final String TESTS = "/guest/tests/";

    private static GuestCase of(String name, String image, BootKind boot, int gic, int exit, Flag... flags) {
        return withInput(name, image, boot, gic, "", exit, flags);
    }

    private static GuestCase withInput(String name, String image, BootKind boot, int gic, String stdin,
                                       int exit, Flag... flags) {
        return new GuestCase(name, TESTS + image, boot, gic, stdin.getBytes(StandardCharsets.US_ASCII),
                exit, flags.length == 0 ? Set.of() : EnumSet.of(flags[0], flags));
    }

    /** Every case; guest/tests/README.md describes the guests. */
    public static List<GuestCase> catalogue() {
        return List.of(
                of("hello", "hello.elf", BootKind.ELF, 3, 0),
                of("hello_fw", "hello.bin", BootKind.FIRMWARE, 2, 0),
                withInput("uart_rx", "uart_rx.elf", BootKind.ELF, 3, "Hello, wirelab. Not read\n", 0),
                withInput("uart_rx_fw", "uart_rx.bin", BootKind.FIRMWARE, 2, "line one\nline two\n", 0),
                of("semihost", "semihost.elf", BootKind.ELF, 3, 3),
                of("semihost_exit", "semihost_exit.elf", BootKind.ELF, 3, 5),
                of("semihost_error", "semihost_error.elf", BootKind.ELF, 3, 1),
                of("psci", "psci.elf", BootKind.ELF, 3, 0),
                of("psci_fw", "psci.bin", BootKind.FIRMWARE, 2, 0),
                of("psci_reset", "psci_reset.elf", BootKind.ELF, 3, 0, Flag.NO_REBOOT),
                of("psci_smc", "psci_smc.elf", BootKind.ELF, 3, 0, Flag.PSCI_SMC),
                of("psci_cpu_on", "psci_cpu_on.elf", BootKind.ELF, 3, 0, Flag.QEMU_ONLY),
                of("dtb_gicv3", "dtb.elf", BootKind.ELF, 3, 0),
                of("dtb_gicv2", "dtb.elf", BootKind.ELF, 2, 0),
                of("dtb_fw", "dtb.bin", BootKind.FIRMWARE, 3, 0),
                of("dtb_image", "dtb.img", BootKind.IMAGE, 3, 0),
                of("dtb_smc", "dtb.elf", BootKind.ELF, 3, 0, Flag.PSCI_SMC),
                of("image", "image.img", BootKind.IMAGE, 3, 0),
                of("image_t0", "image_t0.img", BootKind.IMAGE, 3, 0),
                of("fault", "fault.elf", BootKind.ELF, 3, 4, Flag.NEEDS_EXCEPTIONS),
                of("svc_el0_gicv2", "svc_el0.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("svc_el0_gicv3", "svc_el0.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("brk_undef_gicv2", "brk_undef.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("brk_undef_gicv3", "brk_undef.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("mmu_fault_gicv2", "mmu_fault.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("mmu_fault_gicv3", "mmu_fault.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("mmu_el0_gicv2", "mmu_el0.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("mmu_el0_gicv3", "mmu_el0.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("timer_irq_gicv2", "timer_irq.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("timer_irq_gicv3", "timer_irq.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("timer_phys_gicv2", "timer_phys.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("timer_phys_gicv3", "timer_phys.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("wfi_masked_gicv2", "wfi_masked.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("wfi_masked_gicv3", "wfi_masked.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("sgi_gicv2", "sgi.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("sgi_gicv3", "sgi.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("masked_nested_gicv2", "masked_nested.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("masked_nested_gicv3", "masked_nested.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("preempt_rr_gicv2", "preempt_rr.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("preempt_rr_gicv3", "preempt_rr.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("fiq_gicv2", "fiq.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("fiq_gicv3", "fiq.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                of("rtc_alarm_gicv2", "rtc_alarm.elf", BootKind.ELF, 2, 0, Flag.NEEDS_EXCEPTIONS),
                of("rtc_alarm_gicv3", "rtc_alarm.elf", BootKind.ELF, 3, 0, Flag.NEEDS_EXCEPTIONS),
                withInput("uart_irq_gicv2", "uart_irq.elf", BootKind.ELF, 2, "Hello, irq world\nnot read", 0,
                        Flag.NEEDS_EXCEPTIONS),
                withInput("uart_irq_gicv3", "uart_irq.elf", BootKind.ELF, 3, "Hello, irq world\nnot read", 0,
                        Flag.NEEDS_EXCEPTIONS),
                withInput("uart_poll_pending_gicv2", "uart_poll_pending.elf", BootKind.ELF, 2, "abc", 0,
                        Flag.NEEDS_EXCEPTIONS),
                withInput("uart_poll_pending_gicv3", "uart_poll_pending.elf", BootKind.ELF, 3, "abc", 0,
                        Flag.NEEDS_EXCEPTIONS),
                of("flash", "flash.elf", BootKind.ELF, 3, 0),
                of("flash_fw", "flash.bin", BootKind.FIRMWARE, 3, 0),
                of("bench_compute", "bench_compute.elf", BootKind.ELF, 3, 0, Flag.BENCH),
                of("bench_store", "bench_store.elf", BootKind.ELF, 3, 0, Flag.BENCH));
    }
}
