/* Private file mappings of a file written (and synced) in DIR: one read-only and read, one
 * writable with pages read, pages written (copied on write) and pages untouched, and one written
 * then made read-only (as ld.so does with RELRO), at an offset into the file. */
#include <sys/mman.h>
#include "ready.h"

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    int fd = written_file(argv[1], "private.bin", 32);
    char *ro = must(mmap(NULL, 16 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0), "mmap ro");
    touch(ro, 0, 4, 0);
    char *rw = must(mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0), "mmap rw");
    touch(rw, 0, 4, 0);
    touch(rw, 4, 8, 1);
    char *relro = must(mmap(NULL, 8 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 16 * PAGE), "mmap relro");
    touch(relro, 0, 3, 1);
    touch(relro, 3, 5, 0);
    if (mprotect(relro, 8 * PAGE, PROT_READ)) return 2;
    ready(NULL);
}
