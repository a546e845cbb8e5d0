/* Pages swapped out: 64 anonymous pages written, pages 0-31 paged out (MADV_PAGEOUT), page 0
 * read back (swapped in); a clean file page-cache page paged out too. Pinned to one CPU, since
 * MADV_PAGEOUT drains only the calling CPU's LRU batch. Needs active swap. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <sys/mman.h>
#include "ready.h"

int main(void)
{
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(sched_getcpu(), &one);
    if (sched_setaffinity(0, sizeof one, &one)) return 2;
    char *p = must(mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap");
    touch(p, 0, 64, 1);
    if (madvise(p, 32 * PAGE, MADV_PAGEOUT)) {
        perror("madvise");
        return 2;
    }
    touch(p, 0, 1, 0);
    ready(NULL);
}
