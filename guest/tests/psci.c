// PSCI through the HVC conduit (psci_smc.c includes this file with
// PSCI_CONDUIT_SMC): PSCI_VERSION, MIGRATE_INFO_TYPE, PSCI_FEATURES for a few
// function IDs, a call of an unassigned ID in PSCI's range (NOT_SUPPORTED), then SYSTEM_OFF (exit code 0), or SYSTEM_RESET when built as
// psci_reset.c (QEMU exits on reset with -no-reboot).
//
// Deliberately absent from the transcript: CPU_ON and PSCI_FEATURES(CPU_ON).
// QEMU implements CPU_ON (FEATURES says 0; with one CPU, CPU_ON answers
// INVALID_PARAMETERS or ALREADY_ON, see psci_cpu_on.c) while wirelab's
// single-CPU board answers NOT_SUPPORTED, so a shared transcript cannot contain
// them.
#include "lib.h"

#define PSCI_VERSION        0x84000000u
#define PSCI_CPU_ON         0xC4000003u
#define PSCI_MIGRATE        0xC4000005u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF     0x84000008u
#define PSCI_SYSTEM_RESET   0x84000009u
#define PSCI_FEATURES       0x8400000Au
#define PSCI_UNKNOWN_FN     0x8400001Fu   // not assigned by PSCI 1.1

#ifdef PSCI_CONDUIT_SMC
#define CALL psci_smc
#define CONDUIT "smc"
#else
#define CALL psci_hvc
#define CONDUIT "hvc"
#endif

static void feature(const char *name, u32 fn) {
    puts("PSCI_FEATURES(");
    puts(name);
    puts(")=");
    put_dec(CALL(PSCI_FEATURES, fn, 0, 0));
    uart_putc('\n');
}

#ifndef PSCI_SKIP_MAIN
int main(void) {
    puts("psci: conduit " CONDUIT "\n");
    puts("PSCI_VERSION=");
    put_hex(CALL(PSCI_VERSION, 0, 0, 0));
    puts("\nMIGRATE_INFO_TYPE=");
    put_dec(CALL(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0));
    uart_putc('\n');
    feature("PSCI_VERSION", PSCI_VERSION);
    feature("PSCI_FEATURES", PSCI_FEATURES);
    feature("SYSTEM_OFF", PSCI_SYSTEM_OFF);
    feature("SYSTEM_RESET", PSCI_SYSTEM_RESET);
    feature("MIGRATE", PSCI_MIGRATE);
    feature("unassigned 0x8400001f", PSCI_UNKNOWN_FN);
    puts("unassigned 0x8400001f=");
    put_dec(CALL(PSCI_UNKNOWN_FN, 0, 0, 0));
    uart_putc('\n');
#ifdef PSCI_END_RESET
    puts("psci: SYSTEM_RESET\n");
    CALL(PSCI_SYSTEM_RESET, 0, 0, 0);
    puts("psci: SYSTEM_RESET returned\n");
#else
    puts("psci: SYSTEM_OFF\n");
    CALL(PSCI_SYSTEM_OFF, 0, 0, 0);
    puts("psci: SYSTEM_OFF returned\n");
#endif
    return 1;
}
#endif
