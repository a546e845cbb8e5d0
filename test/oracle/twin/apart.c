/* Adjacent private anonymous VMAs with the same flags that the kernel keeps apart, because each
 * has its own anon_vma: a block moved by mremap (its vm_pgoff stays where it was made, so the
 * block mapped after it neither merges with it nor shares its anon_vma, as realloc of a large
 * buffer leaves it), and three blocks each stored once while MADV_DONTFORK set them apart. */
#define _GNU_SOURCE
#include <sys/mman.h>
#include "ready.h"

int main(void)
{
    char *area = must(mmap(NULL, 128 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap area");
    char *moved = must(mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap moved");
    touch(moved, 0, 16, 1);
    must(mremap(moved, 16 * PAGE, 16 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, area), "mremap");
    char *after = must(mmap(area + 16 * PAGE, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), "mmap after");
    touch(after, 0, 8, 1);
    for (int i = 0; i < 3; i++) {
        char *p = must(mmap(area + (64 + 16 * i) * PAGE, 16 * PAGE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), "mmap block");
        if (madvise(p, 16 * PAGE, MADV_DONTFORK) || (touch(p, 0, 4 + i, 1), 0) || madvise(p, 16 * PAGE, MADV_DOFORK) || mprotect(p, 16 * PAGE, PROT_READ | PROT_WRITE)) return 2;
    }
    ready(NULL);
}
