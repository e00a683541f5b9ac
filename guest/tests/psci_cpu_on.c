// QEMU-only probe (not part of the differential test): what QEMU's PSCI
// answers to CPU_ON on a one-CPU virt machine, and PSCI_FEATURES(CPU_ON).
// wirelab's single-CPU board answers NOT_SUPPORTED (-1) to both instead.
#define PSCI_SKIP_MAIN 1
#include "psci.c"

int main(void) {
    feature("CPU_ON", PSCI_CPU_ON);
    puts("CPU_ON(mpidr 1)=");
    put_dec(psci_hvc(PSCI_CPU_ON, 1, 0x40080000, 0));
    puts("\nCPU_ON(mpidr 0, self)=");
    put_dec(psci_hvc(PSCI_CPU_ON, 0, 0x40080000, 0));
    puts("\npsci: SYSTEM_OFF\n");
    psci_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
    return 1;
}
