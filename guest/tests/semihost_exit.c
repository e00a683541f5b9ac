// semihost.c ending with plain SYS_EXIT (0x18), ADP_Stopped_ApplicationExit, subcode 5.
#define SEMIHOST_SYS_EXIT 1
#include "semihost.c"
