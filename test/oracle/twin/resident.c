/* MIB mebibytes of anonymous memory written page by page (default 1024), then wait; with a second
 * argument "exit", exit instead (the kernel's time for the same faults). scripts/bench-live-cases.mjs
 * runs asx twin of it, and the twin against it. */
#include <string.h>
#include <sys/mman.h>
#include "ready.h"

int main(int argc, char **argv)
{
    long pages = (argc > 1 ? atol(argv[1]) : 1024) * 256;
    char *p = must(mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap");
    touch(p, 0, pages, 1);
    if (argc > 2 && !strcmp(argv[2], "exit")) return 0;
    ready(NULL);
}
