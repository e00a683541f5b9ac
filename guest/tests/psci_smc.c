// psci.c through the SMC conduit. Under QEMU virt this needs
// -M virt,virtualization=on (the guest then starts at EL2 and QEMU answers
// SMC with its PSCI emulation); see README.md.
#define PSCI_CONDUIT_SMC 1
#include "psci.c"
