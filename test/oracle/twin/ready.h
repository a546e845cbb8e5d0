/* Shared by the twin's test programs (test/unit/simulator/live/twin-live.test.ts): say "ready"
 * (with an optional word, e.g. a child's pid) once the address space is as the test wants it,
 * then wait until killed, so that `asx twin --pid` reads it at rest. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

/* DIR/NAME written with `pages` pages of letters ('a' + page % 26) and synced; its descriptor (open
 * for reading and writing), or exit(2). */
static inline int written_file(const char *dir, const char *name, int pages)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) exit(2);
    static char page[PAGE];
    for (int i = 0; i < pages; i++) {
        memset(page, 'a' + i % 26, sizeof page);
        if (write(fd, page, sizeof page) != sizeof page) exit(2);
    }
    fsync(fd);
    return fd;
}
