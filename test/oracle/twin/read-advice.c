/* File mappings advised MADV_RANDOM (VmFlags rr) and MADV_SEQUENTIAL (sr), and anonymous memory
 * advised MADV_RANDOM, each with some pages read: the twin remakes the advice and the pages, and its
 * file pages are read one at a time whatever the advice. */
#include <sys/mman.h>
#include "ready.h"

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    int fd = written_file(argv[1], "advised.bin", 64);
    char *random = must(mmap(NULL, 32 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0), "mmap random");
    if (madvise(random, 32 * PAGE, MADV_RANDOM)) return 2;
    touch(random, 3, 4, 0);
    touch(random, 20, 21, 0);
    char *sequential = must(mmap(NULL, 32 * PAGE, PROT_READ, MAP_PRIVATE, fd, 32 * PAGE), "mmap sequential");
    if (madvise(sequential, 32 * PAGE, MADV_SEQUENTIAL)) return 2;
    touch(sequential, 5, 6, 0);
    char *anon = must(mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap anon");
    if (madvise(anon, 16 * PAGE, MADV_RANDOM)) return 2;
    touch(anon, 0, 4, 1);
    ready(NULL);
}
