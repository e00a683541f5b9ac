package dev.wirelab.emulator.difftest;

/** How a test guest image is started (see guest/tests/README.md). */
public enum BootKind {
    /** ELF file loaded by its program headers, started at its entry (QEMU {@code -kernel}); x0 = 0. */
    ELF("-kernel"),
    /** arm64 Linux Image: loaded at RAM base + text_offset, x0 = DTB address (QEMU {@code -kernel}). */
    IMAGE("-kernel"),
    /** Raw firmware in flash at address 0, DTB at the start of RAM (QEMU {@code -bios}). */
    FIRMWARE("-bios");

    private final String qemuOption;

    BootKind(String qemuOption) {
        this.qemuOption = qemuOption;
    }

    /** The QEMU command-line option that loads an image this way. */
    public String qemuOption() {
        return qemuOption;
    }
}
