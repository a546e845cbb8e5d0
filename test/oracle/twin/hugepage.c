/* MADV_HUGEPAGE: a 2 MiB-aligned anonymous region advised, one store (a huge page where THP is
 * enabled or madvise), and a second region of the same size stored page by page, not advised. */
#include <stdint.h>
#include <sys/mman.h>
#include "ready.h"

#define HUGE (2L << 20)

int main(void)
{
    char *raw = must(mmap(NULL, 3 * HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap");
    char *huge = (char *)(((uintptr_t)raw + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
    if (madvise(huge, HUGE, MADV_HUGEPAGE)) return 2;
    huge[0] = 1;
    char *plain = must(mmap(NULL, HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap plain");
    touch(plain, 0, 16, 1);
    ready(NULL);
}
