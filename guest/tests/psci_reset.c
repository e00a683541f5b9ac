// psci.c ending with SYSTEM_RESET instead of SYSTEM_OFF. QEMU needs -no-reboot
// to exit (code 0) instead of restarting the guest.
#define PSCI_END_RESET 1
#include "psci.c"
