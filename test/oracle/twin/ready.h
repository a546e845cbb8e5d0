/* Shared by the twin's test programs (test/unit/simulator/live/twin-live.test.ts): say "ready"
 * (with an optional word, e.g. a child's pid) once the address space is as the test wants it,
 * then wait until killed, so that `asx twin --pid` reads it at rest. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define PAGE 4096L

static inline void ready(const char *word)
{
    printf("ready%s%s\n", word ? " " : "", word ? word : "");
    fflush(stdout);
    for (;;) pause();
}

static inline void *must(void *p, const char *what)
{
    if (p == (void *)-1 || p == NULL) {
        perror(what);
        exit(2);
    }
    return p;
}

/* Touch pages [from, to) of p: a store when write, else a load. */
static inline void touch(char *p, long from, long to, int write)
{
    volatile char sink = 0;
    for (long i = from; i < to; i++) {
        if (write) p[i * PAGE] = (char)(i + 1);
        else sink += p[i * PAGE];
    }
    (void)sink;
}
