#ifndef WL_STDLIB_H
#define WL_STDLIB_H
#include <stddef.h>
int atoi(const char *s);
#endif
