/*
 * limits-oracle: runs the limit statements of an .aspace scenario (one process, P) with real
 * system calls, and prints per statement "LINE ok", "LINE ERRNO" (e.g. ENOMEM) or "LINE skip".
 * The simulator's differential test (test/unit/simulator/mm/limits-live.test.ts) runs the same text
 * and compares, statement by statement.
 *
 *   set overcommit|overcommit_ratio|overcommit_kbytes|max_map_count N   write /proc/sys/vm/... (restored at exit)
 *   set rlimit P as|data|stack|memlock SIZE|unlimited                  setrlimit (soft = hard)
 *   R = mmap P SIZE PERMS private|shared anon [noreserve]               mmap(NULL, ...)
 *   mprotect P R [OFF SIZE] PERMS, munmap P R [OFF SIZE], write P R      the calls; write touches each page
 *   brk P +SIZE|-SIZE                                                    brk(2): ok when the break moved
 *   Q = fork P                                                           fork; the child exits at once
 *   Q = exec PATH (after the first exec, the runner itself)              posix_spawn (vfork: no commit of its own), then
 *                                                                        wait: "ok" (exit 0), the errno execve returned,
 *                                                                        "SIGSEGV" (killed) or "EXIT127" (ld.so gave up)
 *   show meminfo                                                         "LINE meminfo F=kB ..." after vm.stat_refresh,
 *                                                                        and cg_rss/cg_shmem/cg_mapped_file (kB) of $ASX_CGROUP
 * Everything else (set ram/swap, exec, comments) is "skip". First line of output: "vmas N", the
 * process's map_count before the first statement. Build: gcc -O2 -static -o limits-oracle limits-oracle.c
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <spawn.h>
#include <unistd.h>

/* Small: the table is bss, which counts in VmData and total_vm (RLIMIT_DATA, RLIMIT_AS). */
#define MAX_REGIONS 70000
static struct { char name[16]; char *addr; unsigned long len; } regions[MAX_REGIONS];
static int nregions;

static const char *sysctls[] = { "overcommit_memory", "overcommit_ratio", "overcommit_kbytes", "max_map_count" };
static char saved[4][64];
static int changed[4];

static void restore(void) {
    for (int i = 0; i < 4; i++) {
        if (!changed[i]) continue;
        char path[128];
        snprintf(path, sizeof path, "/proc/sys/vm/%s", sysctls[i]);
        int fd = open(path, O_WRONLY);
        if (fd >= 0) { if (write(fd, saved[i], strlen(saved[i])) < 0) {} close(fd); }
        changed[i] = 0;
    }
}

static void on_signal(int sig) { restore(); signal(sig, SIG_DFL); raise(sig); }

static int write_sysctl(int i, const char *value) {
    char path[128];
    snprintf(path, sizeof path, "/proc/sys/vm/%s", sysctls[i]);
    if (!changed[i]) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) return -errno;
        ssize_t n = read(fd, saved[i], sizeof saved[i] - 1);
        close(fd);
        if (n <= 0) return -EIO;
        saved[i][n] = 0;
        changed[i] = 1;
    }
    int fd = open(path, O_WRONLY);
    if (fd < 0) return -errno;
    int r = write(fd, value, strlen(value)) < 0 ? -errno : 0;
    close(fd);
    return r;
}

static unsigned long long parse_size(const char *s) {
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    switch (*end) {
    case 'K': case 'k': v <<= 10; break;
    case 'M': case 'm': v <<= 20; break;
    case 'G': case 'g': v <<= 30; break;
    case 'P': case 'p': v <<= 12; break;
    }
    return v;
}

static int find_region(const char *name) {
    for (int i = nregions - 1; i >= 0; i--) if (!strcmp(regions[i].name, name)) return i;
    return -1;
}

static int prot_of(const char *p) {
    return (p[0] == 'r' ? PROT_READ : 0) | (p[1] == 'w' ? PROT_WRITE : 0) | (p[2] == 'x' ? PROT_EXEC : 0);
}

static int map_count(void) {
    FILE *f = fopen("/proc/self/maps", "r");
    int n = 0, c, last = '\n';
    char line[512];
    while (fgets(line, sizeof line, f)) if (!strstr(line, "[vsyscall]")) n++;
    (void)c; (void)last;
    fclose(f);
    return n;
}

/* ASX_CGROUP: a fresh memory cgroup (v1) the runner joins at start; `show meminfo` adds its memory.stat. */
static const char *cgroup;

static void join_cgroup(void) {
    cgroup = getenv("ASX_CGROUP");
    if (!cgroup) return;
    char path[512], pid[32];
    snprintf(path, sizeof path, "%s/cgroup.procs", cgroup);
    int fd = open(path, O_WRONLY);
    int n = snprintf(pid, sizeof pid, "%d", getpid());
    if (fd < 0 || write(fd, pid, n) != n) { fprintf(stderr, "cannot join %s\n", cgroup); exit(2); }
    close(fd);
}

static void show_cgroup(void) {
    char path[512], name[64];
    unsigned long long bytes;
    snprintf(path, sizeof path, "%s/memory.stat", cgroup);
    /* memcg statistics are flushed when enough updates are pending, or every 2 s (flush_memcg_stats_dwork). */
    usleep(2100000);
    FILE *f = fopen(path, "r");
    if (!f) return;
    while (fscanf(f, "%63s %llu", name, &bytes) == 2)
        if (!strcmp(name, "rss") || !strcmp(name, "shmem") || !strcmp(name, "mapped_file")) printf(" cg_%s=%llu", name, bytes >> 10);
    fclose(f);
}

/* The process's own share of Committed_AS: its VM_ACCOUNT VMAs ("ac" in VmFlags) and its shared
 * anonymous objects (mapped whole here), for when other processes move the machine-wide counter. */
static void show_own_commit(void) {
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    unsigned long long size = 0, ac = 0, shanon = 0;
    int dev_zero = 0;
    while (fgets(line, sizeof line, f)) {
        if (sscanf(line, "Size: %llu kB", &size) == 1) continue;
        if (strchr(line, '-') && strchr(line, ':') && line[0] != 'V') dev_zero = strstr(line, "/dev/zero (deleted)") != NULL;
        if (!strncmp(line, "VmFlags:", 8)) {
            if (strstr(line, " ac")) ac += size;
            if (dev_zero) shanon += size;
        }
    }
    fclose(f);
    printf(" own_ac=%llu own_shanon=%llu", ac, shanon);
}

static void show_meminfo(int line) {
    int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);
    if (fd >= 0) { if (write(fd, "1", 1) < 0) {} close(fd); }
    FILE *f = fopen("/proc/meminfo", "r");
    char name[64];
    unsigned long long kb;
    printf("%d meminfo", line);
    while (fscanf(f, "%63s %llu%*[^\n]", name, &kb) == 2) {
        name[strlen(name) - 1] = 0;
        if (!strcmp(name, "AnonPages") || !strcmp(name, "Shmem") || !strcmp(name, "Mapped") || !strcmp(name, "Committed_AS")) printf(" %s=%llu", name, kb);
    }
    if (cgroup) show_cgroup();
    show_own_commit();
    printf("\n");
    fclose(f);
}

static void result(int line, int err) {
    if (!err) printf("%d ok\n", line);
    else printf("%d %s\n", line, strerrorname_np(err));
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: limits-oracle SCENARIO\n"); return 2; }
    FILE *in = fopen(argv[1], "r");
    if (!in) { perror(argv[1]); return 2; }
    join_cgroup();
    atexit(restore);
    signal(SIGINT, on_signal); signal(SIGTERM, on_signal); signal(SIGSEGV, on_signal); signal(SIGBUS, on_signal);
    setvbuf(stdout, NULL, _IOFBF, 1 << 20);
    printf("vmas %d\n", map_count());
    char text[1024];
    int line = 0, execs = 0;
    while (fgets(text, sizeof text, in)) {
        line++;
        char *hash = strchr(text, '#');
        if (hash) *hash = 0;
        char *w[16];
        int n = 0;
        for (char *t = strtok(text, " \t\r\n"); t && n < 16; t = strtok(NULL, " \t\r\n")) w[n++] = t;
        if (!n) continue;
        if (!strcmp(w[0], "set") && n >= 3) {
            int i = !strcmp(w[1], "overcommit") ? 0 : !strcmp(w[1], "overcommit_ratio") ? 1 : !strcmp(w[1], "overcommit_kbytes") ? 2 : !strcmp(w[1], "max_map_count") ? 3 : -1;
            if (i >= 0) { result(line, -write_sysctl(i, w[2])); continue; }
            if (!strcmp(w[1], "rlimit") && n == 5) {
                int res = !strcmp(w[3], "as") ? RLIMIT_AS : !strcmp(w[3], "data") ? RLIMIT_DATA : !strcmp(w[3], "stack") ? RLIMIT_STACK : RLIMIT_MEMLOCK;
                rlim_t v = !strcmp(w[4], "unlimited") ? RLIM_INFINITY : parse_size(w[4]);
                struct rlimit rl = { v, v };
                result(line, setrlimit(res, &rl) ? errno : 0);
                continue;
            }
            printf("%d skip\n", line);
        } else if (n >= 8 && !strcmp(w[1], "=") && !strcmp(w[2], "mmap")) {
            unsigned long len = parse_size(w[4]);
            int flags = (!strcmp(w[6], "shared") ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS | (n > 8 && !strcmp(w[8], "noreserve") ? MAP_NORESERVE : 0);
            char *p = mmap(NULL, len, prot_of(w[5]), flags, -1, 0);
            if (p == MAP_FAILED) { result(line, errno); continue; }
            if (nregions < MAX_REGIONS) { snprintf(regions[nregions].name, sizeof regions[0].name, "%s", w[0]); regions[nregions].addr = p; regions[nregions++].len = len; }
            result(line, 0);
        } else if (n >= 4 && !strcmp(w[1], "=") && !strcmp(w[2], "fork")) {
            fflush(stdout);
            pid_t pid = fork();
            if (pid == 0) _exit(0);
            if (pid < 0) { result(line, errno); continue; }
            waitpid(pid, NULL, 0);
            result(line, 0);
        } else if (n == 4 && !strcmp(w[1], "=") && !strcmp(w[2], "exec")) {
            if (!execs++) { printf("%d skip\n", line); continue; }
            fflush(stdout);
            posix_spawn_file_actions_t quiet;
            posix_spawn_file_actions_init(&quiet);
            posix_spawn_file_actions_addopen(&quiet, 1, "/dev/null", O_WRONLY, 0);
            posix_spawn_file_actions_addopen(&quiet, 2, "/dev/null", O_WRONLY, 0);
            char *args[] = { w[3], NULL };
            pid_t pid;
            int err = posix_spawn(&pid, w[3], &quiet, NULL, args, environ);
            posix_spawn_file_actions_destroy(&quiet);
            if (err) { result(line, err); continue; }
            int status;
            waitpid(pid, &status, 0);
            if (WIFSIGNALED(status)) printf("%d SIG%s\n", line, sigabbrev_np(WTERMSIG(status)));
            else if (WEXITSTATUS(status) == 127) printf("%d EXIT127\n", line);
            else result(line, 0);
        } else if ((!strcmp(w[0], "mprotect") || !strcmp(w[0], "munmap") || !strcmp(w[0], "write")) && n >= 3) {
            int r = find_region(w[2]);
            if (r < 0) { printf("%d skip\n", line); continue; }
            char *addr = regions[r].addr;
            unsigned long len = regions[r].len;
            if ((!strcmp(w[0], "mprotect") && n == 6) || (!strcmp(w[0], "munmap") && n == 5)) { addr += parse_size(w[3]); len = parse_size(w[4]); }
            int err = 0;
            if (!strcmp(w[0], "mprotect")) err = mprotect(addr, len, prot_of(w[n - 1])) ? errno : 0;
            else if (!strcmp(w[0], "munmap")) err = munmap(addr, len) ? errno : 0;
            else for (unsigned long off = 0; off < len; off += 4096) addr[off] = 1;
            result(line, err);
        } else if (!strcmp(w[0], "brk") && n == 3) {
            unsigned long cur = syscall(SYS_brk, 0);
            long delta = (long)parse_size(w[2] + 1) * (w[2][0] == '-' ? -1 : 1);
            unsigned long want = cur + delta;
            unsigned long got = syscall(SYS_brk, want);
            result(line, got == want ? 0 : ENOMEM);
        } else if (!strcmp(w[0], "show") && n == 2 && !strcmp(w[1], "meminfo")) {
            show_meminfo(line);
        } else {
            printf("%d skip\n", line);
        }
    }
    restore();
    return 0;
}
