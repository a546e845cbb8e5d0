/* Shared mappings: a file in DIR mapped shared and written (some pages synced clean, some left
 * dirty) and read, the same file mapped shared read-only, and shared anonymous memory written
 * and read. */
#include <fcntl.h>
#include <sys/mman.h>
#include "ready.h"

int main(int argc, char **argv)
{
    if (argc < 2) return 2;
    char path[4096];
    snprintf(path, sizeof path, "%s/shared.bin", argv[1]);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || ftruncate(fd, 32 * PAGE)) return 2;
    fsync(fd);
    char *rw = must(mmap(NULL, 32 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0), "mmap file");
    touch(rw, 0, 4, 1);
    if (msync(rw, 4 * PAGE, MS_SYNC)) return 2;
    touch(rw, 4, 8, 1);
    touch(rw, 8, 12, 0);
    char *ro = must(mmap(NULL, 8 * PAGE, PROT_READ, MAP_SHARED, fd, 16 * PAGE), "mmap ro");
    touch(ro, 0, 2, 0);
    char *anon = must(mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0), "mmap shared anon");
    touch(anon, 0, 8, 1);
    touch(anon, 8, 12, 0);
    ready(NULL);
}
