/* Private anonymous memory: stores, loads (the zero page, or with pvm_no_zero_page=1 a zeroed
 * page), untouched pages, a read-only mapping read, and an mprotect that splits a written
 * mapping in three, and a locked mapping (mlock). */
#include <sys/mman.h>
#include "ready.h"

int main(void)
{
    char *rw = must(mmap(NULL, 64 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap rw");
    touch(rw, 0, 16, 1);
    touch(rw, 16, 32, 0);
    touch(rw, 40, 41, 1);
    char *ro = must(mmap(NULL, 8 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap ro");
    touch(ro, 2, 6, 0);
    char *split = must(mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap split");
    touch(split, 0, 16, 1);
    if (mprotect(split + 4 * PAGE, 4 * PAGE, PROT_READ)) return 2;
    char *none = must(mmap(NULL, 4 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap none");
    (void)none;
    char *locked = must(mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap locked");
    touch(locked, 0, 1, 1);
    if (mlock(locked, 4 * PAGE)) return 2;
    ready(NULL);
}
