// semihost.c ending with SYS_EXIT (0x18), reason ADP_Stopped_RunTimeErrorUnknown: exit code 1.
#define SEMIHOST_SYS_EXIT_ERROR 1
#include "semihost.c"
