/* Mlocked in /proc/meminfo on the real kernel (issue 14): mlock of 32 MiB of a 64 MiB private
 * mapping, then (a fork child holding the pages) a copy-on-write of 8 MiB in the parent, then
 * munlock. Prints "STAGE KB" deltas from the start. NR_MLOCK is folded from per-CPU counters
 * every vm.stat_interval (1 s), so each stage waits 2 s. Build: gcc -O2 mlock-meminfo.c */
#include <stdio.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static long mlocked_kb(void)
{
    FILE *f = fopen("/proc/meminfo", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "Mlocked: %ld", &v) == 1) break;
    if (f) fclose(f);
    return v;
}

int main(void)
{
    long base = mlocked_kb();
    char *a = mmap(NULL, 64 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int p[2];
    if (a == MAP_FAILED || pipe(p) || mlock(a, 32 << 20)) return 2;
    sleep(2);
    printf("mlock %ld\n", mlocked_kb() - base);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        if (read(p[0], &c, 1) < 0) _exit(1);
        _exit(0);
    }
    for (long i = 0; i < (8 << 20); i += 4096) a[i] = 1;
    sleep(2);
    printf("cow %ld\n", mlocked_kb() - base);
    munlock(a, 64 << 20);
    sleep(2);
    printf("munlock %ld\n", mlocked_kb() - base);
    if (write(p[1], "x", 1) < 0) return 2;
    waitpid(pid, NULL, 0);
    return 0;
}
