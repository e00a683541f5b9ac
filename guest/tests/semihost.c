// Semihosting console and exit: SYS_WRITEC (0x03) and SYS_WRITE0 (0x04)
// interleaved with PL011 output (both reach the same console in order), then
// SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit and exit code 3.
// semihost_exit.c ends with plain SYS_EXIT (0x18) and ApplicationExit,
// subcode 5 (exit code 5); semihost_error.c with SYS_EXIT and reason
// ADP_Stopped_RunTimeErrorUnknown (0x20023), which QEMU turns into exit code 1.
#include "lib.h"

#define SYS_WRITEC 0x03
#define SYS_WRITE0 0x04
#define SYS_EXIT   0x18
#define ADP_Stopped_ApplicationExit     0x20026
#define ADP_Stopped_RunTimeErrorUnknown 0x20023

static u64 exit_block[2] __attribute__((unused));

int main(void) {
    puts("uart: before semihosting\n");
    static const char chars[] = "writec\n";
    for (const char *p = chars; *p; p++) semihost(SYS_WRITEC, (u64)p);   // takes a pointer to the char
    semihost(SYS_WRITE0, (u64)"write0: hello from semihosting\n");
    puts("uart: after semihosting\n");
#if defined(SEMIHOST_SYS_EXIT)
    semihost(SYS_WRITE0, (u64)"write0: SYS_EXIT ApplicationExit 5\n");
    exit_block[0] = ADP_Stopped_ApplicationExit;
    exit_block[1] = 5;
    semihost(SYS_EXIT, (u64)exit_block);
#elif defined(SEMIHOST_SYS_EXIT_ERROR)
    semihost(SYS_WRITE0, (u64)"write0: SYS_EXIT RunTimeErrorUnknown\n");
    exit_block[0] = ADP_Stopped_RunTimeErrorUnknown;
    exit_block[1] = 0;
    semihost(SYS_EXIT, (u64)exit_block);
#else
    semihost(SYS_WRITE0, (u64)"write0: SYS_EXIT_EXTENDED ApplicationExit 3\n");
    semihost_exit(3);
#endif
    puts("semihost: exit call returned\n");
    return 1;
}
