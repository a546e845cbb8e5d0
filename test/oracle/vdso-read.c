/* The [vdso] mapping after reads, on the real kernel (issue 14 §2): for each stage, one line
 * "STAGE Rss Anonymous Clean Dirty VmFlags..." from /proc/self/smaps (kB; Clean = Shared_Clean +
 * Private_Clean, Dirty likewise). Stages: the parent after reading both vDSO pages, a fork child
 * before any read, the child after reading page 0. Build: gcc -O2 -static vdso-read.c */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *stage)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512], flags[512] = "";
    long rss = -1, anon = -1, clean = 0, dirty = 0, v;
    unsigned long start, end;
    int in = 0;
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx ", &start, &end) == 2) in = strstr(line, "[vdso]") != NULL;
        if (!in) continue;
        if (sscanf(line, "Rss: %ld", &v) == 1) rss = v;
        else if (sscanf(line, "Anonymous: %ld", &v) == 1) anon = v;
        else if (sscanf(line, "Shared_Clean: %ld", &v) == 1 || sscanf(line, "Private_Clean: %ld", &v) == 1) clean += v;
        else if (sscanf(line, "Shared_Dirty: %ld", &v) == 1 || sscanf(line, "Private_Dirty: %ld", &v) == 1) dirty += v;
        else if (!strncmp(line, "VmFlags:", 8)) { snprintf(flags, sizeof flags, "%s", line + 9); flags[strcspn(flags, "\n")] = 0; }
    }
    if (f) fclose(f);
    printf("%s %ld %ld %ld %ld %s\n", stage, rss, anon, clean, dirty, flags);
    fflush(stdout);
}

int main(void)
{
    volatile const char *vdso = (const char *)getauxval(AT_SYSINFO_EHDR);
    (void)vdso[0];
    (void)vdso[4096];
    report("parent");
    pid_t pid = fork();
    if (pid == 0) {
        report("child");
        (void)vdso[0];
        report("child-read");
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
