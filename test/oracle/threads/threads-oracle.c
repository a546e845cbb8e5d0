/*
 * threads-oracle: the thread stacks glibc's pthread_create makes, as the kernel shows them.
 *
 * Runs the same steps as threads.aspace (next to this file) with real detached pthreads and
 * prints, at each checkpoint, the VMAs whose VmFlags have `nh` (MAP_STACK → VM_NOHUGEPAGE: the
 * thread stacks and their guards) with addresses relative to the end of the first thread's
 * stack, their Rss and VmFlags, and the `Threads:` line of /proc/self/status. The test runs
 * the scenario with asx and prints the same lines from its smaps and status (threads.test.ts).
 *
 * Build: gcc -O2 -pthread -o threads-oracle threads-oracle.c   Run: setarch -R ./threads-oracle
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#define MAXT 16
static int pipes[MAXT][2];
static pthread_t ids[MAXT];
static unsigned long base; /* the end of the first thread's stack VMA */

static void checkpoint(const char *label, int pid)
{
    char path[64], line[512];
    printf("== %s\n", label);
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    FILE *f = fopen(path, "r");
    while (fgets(line, sizeof line, f))
        if (!strncmp(line, "Threads:", 8)) printf("Threads: %d\n", atoi(line + 8));
    fclose(f);
    snprintf(path, sizeof path, "/proc/%d/smaps", pid);
    f = fopen(path, "r");
    unsigned long start = 0, end = 0, rss = 0;
    char perms[8] = "";
    while (fgets(line, sizeof line, f)) {
        unsigned long a, b;
        char p[8];
        if (sscanf(line, "%lx-%lx %7s", &a, &b, p) == 3 && strchr(line, '-') < strchr(line, ' ')) {
            start = a; end = b; strcpy(perms, p);
        } else if (!strncmp(line, "Rss:", 4)) {
            rss = strtoul(line + 4, 0, 10);
        } else if (!strncmp(line, "VmFlags:", 8) && strstr(line, " nh")) {
            if (!base) base = end;
            char *flags = line + 8;
            while (*flags == ' ') flags++;
            flags[strcspn(flags, "\n")] = 0;
            long s = (long)(start - base), e = (long)(end - base);
            printf("%s0x%lx %s0x%lx %s Rss=%lu %s\n", s < 0 ? "-" : "+", s < 0 ? -s : s, e < 0 ? "-" : "+", e < 0 ? -e : e, perms, rss, flags);
        }
    }
    fclose(f);
    fflush(stdout);
}

static void *body(void *arg)
{
    long i = (long)arg;
    char c;
    while (read(pipes[i][0], &c, 1) == 1) {
        if (c == 'x') return 0;
        if (c == 'f') { /* Q = fork T: the child has this one thread */
            pid_t q = fork();
            if (q == 0) {
                checkpoint("fork T4: the child Q", getpid());
                pthread_attr_t a;
                pthread_attr_init(&a);
                pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
                pipe(pipes[MAXT - 1]);
                pthread_t t;
                pthread_create(&t, &a, body, (void *)(long)(MAXT - 1));
                usleep(50000);
                checkpoint("T6 = thread Q: a stack from the cache", getpid());
                _exit(0);
            }
            waitpid(q, 0, 0);
            write(pipes[i][1] + 0, "", 0);
        }
    }
    return 0;
}

static void thread(long i, size_t size)
{
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
    if (size) pthread_attr_setstacksize(&a, size);
    pipe(pipes[i]);
    pthread_create(&ids[i], &a, body, (void *)i);
    usleep(50000);
}

static void say(long i, char c) { write(pipes[i][1], &c, 1); usleep(100000); }

/* `write T stack`: one store in every page of the thread's stack, of the byte already there. */
static void write_stack(long i)
{
    pthread_attr_t a;
    void *lo;
    size_t size;
    pthread_getattr_np(ids[i], &a);
    pthread_attr_getstack(&a, &lo, &size);
    for (volatile char *p = lo; p < (char *)lo + size; p += 4096) *p = *p;
}

int main(void)
{
    int me = getpid();
    thread(0, 0);
    checkpoint("T0 = thread P", me);
    thread(1, 0);
    write_stack(1);
    checkpoint("T1 = thread P; write T1 stack", me);
    say(1, 'x');
    checkpoint("exit T1", me);
    thread(2, 0);
    checkpoint("T2 = thread P: T1's stack from the cache", me);
    thread(3, 65536);
    thread(4, 1 << 20);
    checkpoint("T3 = thread P 64K; T4 = thread P 1M", me);
    say(3, 'x');
    thread(5, 65536);
    checkpoint("exit T3; T5 = thread P 64K", me);
    say(4, 'f');
    for (long i = 7; i <= 12; i++) thread(i, 0);
    for (long i = 7; i <= 12; i++) say(i, 'x');
    checkpoint("six more 8M threads exit: the cache passes 40 MiB", me);
    return 0;
}
