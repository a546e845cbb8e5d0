/* A forked child that shares copy-on-write pages with its parent: the parent writes 32 pages
 * and heap, forks; the child writes 8 of them (its own copies now) and waits; the parent says
 * "ready CHILDPID" once the child is done. */
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include "ready.h"

int main(void)
{
    char *p = must(mmap(NULL, 48 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), "mmap");
    touch(p, 0, 32, 1);
    char *h = must(malloc(40000), "malloc");
    memset(h, 1, 40000);
    int done[2];
    if (pipe(done)) return 2;
    pid_t child = fork();
    if (child == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* gone with its parent */
        touch(p, 8, 16, 1);
        touch(p, 32, 36, 1);
        if (write(done[1], "x", 1) != 1) return 2;
        for (;;) pause();
    }
    char x;
    if (read(done[0], &x, 1) != 1) return 2;
    char word[32];
    snprintf(word, sizeof word, "%d", (int)child);
    ready(word);
}
