/*
 * aspace-oracle: a differential oracle for the Address Space Explorer.
 *
 * Runs an `.aspace` scenario (docs: shared/docs/contracts.md section 2) with
 * REAL system calls on the running kernel and prints what the kernel says, in
 * the same format as `asx run`:
 *
 *     # <line>: <statement>
 *     <kernel text verbatim>
 *
 * Build (static, so a worker is a freshly exec'd binary with no ld.so/libc
 * mappings):   gcc -O2 -static -o /tmp/aspace-oracle test/oracle/aspace-oracle.c
 *
 * Usage:  aspace-oracle [--regions FILE] [--stable] SCENARIO.aspace
 *   --regions FILE  (alias --json FILE) write region/process addresses as JSON
 *   --stable        mask physical frame numbers / swap offsets in
 *                   `show pagetable` so the output is reproducible
 *
 * Architecture: the coordinator (this process, uses libc/stdio freely) parses
 * the scenario and drives one worker per simulated process over two FIFOs
 * (cmd: coordinator->worker, ack: worker->coordinator) in a private temp dir.
 * `P = exec` forks+execve()s this binary with "--worker CMD ACK", an empty
 * environment and ADDR_NO_RANDOMIZE.  At start-up the worker unregisters
 * glibc's rseq area, clears robust-list/clear_child_tid, and shrinks brk back
 * to mm->start_brk: this removes the [heap] glibc's static start-up created
 * (TLS block, ld paths), so the worker's address space holds only the binary,
 * [vvar]/[vvar_vclock]/[vdso] and [stack].  From then on the worker uses only
 * raw inline-asm system calls (no errno, no TLS, no malloc, no stdio).
 * `Q = fork P`: P calls SYS_fork; the child closes P's FIFOs and opens Q's.
 * Worker death (SIGSEGV/SIGBUS) is seen as EOF on its ack FIFO; the signal
 * is read from field 52 (exit_code) of /proc/PID/stat while it is a zombie.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <sched.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/rseq.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define PG 4096UL

/* ------------------------------------------------------------------ */
/* raw system calls (worker side: must not touch errno/TLS)            */
/* ------------------------------------------------------------------ */
static inline long rsc(long n, long a, long b, long c, long d, long e, long f)
{
    long ret;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    register long r9 __asm__("r9") = f;
    __asm__ volatile("syscall"
                     : "=a"(ret)
                     : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9)
                     : "rcx", "r11", "memory");
    return ret;
}
#define RSC0(n) rsc(n, 0, 0, 0, 0, 0, 0)
#define RSC1(n, a) rsc(n, (long)(a), 0, 0, 0, 0, 0)
#define RSC2(n, a, b) rsc(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define RSC3(n, a, b, c) rsc(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define RSC4(n, a, b, c, d) rsc(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define RSC6(n, a, b, c, d, e, f) \
    rsc(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))

/* ------------------------------------------------------------------ */
/* protocol                                                            */
/* ------------------------------------------------------------------ */
enum { OP_MMAP = 1, OP_ACCESS, OP_MUNMAP, OP_MPROTECT, OP_MADVISE, OP_MSYNC,
       OP_BRK, OP_FORK, OP_EXIT, OP_MLOCK, OP_MUNLOCK, OP_MREMAP };
enum { ACC_READ = 0, ACC_WRITE = 1, ACC_EXEC = 2 };

struct cmd {
    long op;
    long a, b, c, d, e, f;
    char p1[480];
    char p2[480];
};
struct ack {
    long status; /* 0 ok, <0 -errno */
    long v1, v2;
};

/* ------------------------------------------------------------------ */
/* worker                                                              */
/* ------------------------------------------------------------------ */
static struct cmd w_cmd;
static char w_buf[4096];
static struct { void *next; long off; void *pending; } w_robust;

static long w_readall(int fd, void *b, unsigned long n)
{
    unsigned long got = 0;
    while (got < n) {
        long r = RSC3(SYS_read, fd, (char *)b + got, n - got);
        if (r == -EINTR) continue;
        if (r <= 0) return r;
        got += r;
    }
    return got;
}

static void w_ack(int fd, long st, long v1, long v2)
{
    struct ack a;
    a.status = st; a.v1 = v1; a.v2 = v2;
    RSC3(SYS_write, fd, &a, sizeof a);
}

static __attribute__((noreturn)) void w_exit(int code)
{
    for (;;) RSC1(SYS_exit_group, code);
}

/* start_brk = field 47 of /proc/self/stat */
static unsigned long w_start_brk(void)
{
    long fd = RSC3(SYS_open, "/proc/self/stat", O_RDONLY, 0);
    if (fd < 0) return 0;
    long len = 0, r;
    while ((r = RSC3(SYS_read, fd, w_buf + len, sizeof w_buf - 1 - len)) > 0) len += r;
    RSC1(SYS_close, fd);
    w_buf[len] = 0;
    long i = len;
    while (i > 0 && w_buf[i] != ')') i--;
    int field = 2;
    unsigned long v = 0;
    for (i++; i < len; i++) {
        if (w_buf[i] == ' ') {
            field++;
            if (field == 47) {
                v = 0;
                for (i++; i < len && w_buf[i] >= '0' && w_buf[i] <= '9'; i++)
                    v = v * 10 + (w_buf[i] - '0');
                return v;
            }
        }
    }
    return 0;
}

static void w_open_fifos(const char *cp, const char *ap, int *cfd, int *afd)
{
    long c = RSC3(SYS_open, cp, O_RDONLY, 0);
    if (c < 0) w_exit(120);
    long a = RSC3(SYS_open, ap, O_WRONLY, 0);
    if (a < 0) w_exit(121);
    *cfd = (int)c;
    *afd = (int)a;
}

/* A page of the worker's that no scenario maps near (32 TiB, far below mmap_base) and that never
 * has a page: MADV_COLD of it only drains this CPU's LRU batches. Forks inherit it. */
static long w_scratch;

static __attribute__((noreturn)) void worker_main(const char *cmdpath, const char *ackpath)
{
    int cfd, afd;
    /* --- leave glibc behind: nothing below may touch TLS --- */
    if (__rseq_size > 0) {
        void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
        RSC4(SYS_rseq, area, __rseq_size < 32 ? 32 : __rseq_size, 1 /*UNREGISTER*/, 0x53053053);
        /* glibc registers with len 32 on 2.36 (sizeof struct rseq_area
         * padded); try the exact size too, one of them succeeds. */
        RSC4(SYS_rseq, area, __rseq_size, 1, 0x53053053);
    }
    w_robust.next = &w_robust;
    RSC2(SYS_set_robust_list, &w_robust, sizeof w_robust);
    RSC1(SYS_set_tid_address, 0);

    w_open_fifos(cmdpath, ackpath, &cfd, &afd);

    unsigned long sb = w_start_brk();
    unsigned long cur = (unsigned long)RSC1(SYS_brk, 0);
    if (sb && cur != sb) cur = (unsigned long)RSC1(SYS_brk, sb);
    w_scratch = RSC6(SYS_mmap, 0x200000000000L, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    w_ack(afd, cur == sb ? 0 : -1, (long)sb, (long)cur);

    for (;;) {
        long r = w_readall(cfd, &w_cmd, sizeof w_cmd);
        if (r <= 0) w_exit(0);
        struct cmd *c = &w_cmd;
        switch (c->op) {
        case OP_MMAP: {
            /* a=size b=prot c=flags d=offset e=file? f=address (at ADDR) p1=path */
            long fd = -1;
            if (c->e) {
                int oflags = ((c->c & MAP_SHARED) && (c->b & PROT_WRITE)) ? O_RDWR : O_RDONLY;
                fd = RSC3(SYS_open, c->p1, oflags, 0);
                if (fd < 0) { w_ack(afd, fd, 0, 0); break; }
            }
            long addr = RSC6(SYS_mmap, c->f, c->a, c->b, c->c, fd, c->d);
            if (fd >= 0) RSC1(SYS_close, fd);
            w_ack(afd, addr < 0 && addr > -4096 ? addr : 0, addr, 0);
            break;
        }
        case OP_ACCESS: {
            /* a=start b=end(exclusive) c=kind */
            unsigned long p = (unsigned long)c->a, end = (unsigned long)c->b;
            long n = 0;
            while (p < end) {
                if (c->c == ACC_WRITE)
                    *(volatile unsigned char *)p = 0x5a;
                else
                    (void)*(volatile unsigned char *)p;
                n++;
                p = (p & ~(PG - 1)) + PG;
            }
            w_ack(afd, 0, n, 0);
            break;
        }
        case OP_MUNMAP:
            w_ack(afd, RSC2(SYS_munmap, c->a, c->b), 0, 0);
            break;
        case OP_MPROTECT:
            w_ack(afd, RSC3(SYS_mprotect, c->a, c->b, c->c), 0, 0);
            break;
        case OP_MADVISE: {
            long r = RSC3(SYS_madvise, c->a, c->b, c->c);
            /* MADV_FREE leaves its folios in this CPU's lazyfree batch: MADV_COLD of the
             * worker's scratch page drains it (lru_add_drain) and changes nothing else. Also
             * when MADV_FREE failed after freeing part of the range (a hole: ENOMEM; a locked
             * VMA after unlocked ones: EINVAL). */
            if (c->c == MADV_FREE && w_scratch > 0) RSC3(SYS_madvise, w_scratch, 4096, MADV_COLD);
            w_ack(afd, r, 0, 0);
            break;
        }
        case OP_MLOCK:
            w_ack(afd, RSC2(SYS_mlock, c->a, c->b), 0, 0);
            break;
        case OP_MUNLOCK:
            w_ack(afd, RSC2(SYS_munlock, c->a, c->b), 0, 0);
            break;
        case OP_MREMAP: {
            /* a=addr b=old_len c=new_len d=flags */
            long r = RSC4(SYS_mremap, c->a, c->b, c->c, c->d);
            w_ack(afd, r < 0 && r > -4096 ? r : 0, r, 0);
            break;
        }
        case OP_MSYNC:
            w_ack(afd, RSC3(SYS_msync, c->a, c->b, MS_SYNC), 0, 0);
            break;
        case OP_BRK: {
            long nb = RSC1(SYS_brk, c->a);
            w_ack(afd, nb == c->a ? 0 : -ENOMEM, nb, 0);
            break;
        }
        case OP_FORK: {
            long pid = RSC0(SYS_fork);
            if (pid == 0) {
                RSC1(SYS_close, cfd);
                RSC1(SYS_close, afd);
                w_open_fifos(c->p1, c->p2, &cfd, &afd);
                w_ack(afd, 0, RSC0(SYS_getpid), (long)RSC1(SYS_brk, 0));
                break;
            }
            w_ack(afd, pid < 0 ? pid : 0, pid, 0);
            break;
        }
        case OP_EXIT:
            w_exit(0);
        default:
            w_ack(afd, -EINVAL, 0, 0);
        }
    }
}

/* ------------------------------------------------------------------ */
/* coordinator                                                         */
/* ------------------------------------------------------------------ */
#define MAXP 64
#define MAXR 32768
#define MAXTOK 32

struct proc {
    char name[64];
    pid_t pid;
    int cmdfd, ackfd;
    int alive;
    int sig;    /* killing signal, 0 if exited normally */
    int exited; /* by `exit` */
    unsigned long start_brk, cur_brk;
    char *initial_maps;
    int line;
};
struct region {
    char name[64];
    char proc[64];
    unsigned long addr, size;
    int line;
    char desc[256];
};

static struct proc procs[MAXP];
static int nprocs;
static struct region regions[MAXR];
static int nregions;

static const char *scen_path;
static char scen_dir[PATH_MAX];
static char tmpdir[PATH_MAX];
static char cgdir[PATH_MAX];
static int have_cg;
static char self_exe[PATH_MAX];
static int opt_stable;
static const char *opt_regions;
static int fails, passes;
static unsigned long zero_pfn;
static int cur_line;

static void note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d: note: ", scen_path, cur_line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

static __attribute__((noreturn)) void die_at(int col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s:%d:%d: ", scen_path, cur_line, col);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

static char *slurp(const char *path, size_t *lenp)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t cap = 1 << 16, len = 0;
    char *b = malloc(cap + 1);
    for (;;) {
        if (len == cap) { cap *= 2; b = realloc(b, cap + 1); }
        ssize_t r = read(fd, b + len, cap - len);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        len += r;
    }
    close(fd);
    b[len] = 0;
    if (lenp) *lenp = len;
    return b;
}

static int write_str(const char *path, const char *s)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t r = write(fd, s, strlen(s));
    int e = r < 0 ? -errno : 0;
    close(fd);
    return e;
}

/* ---- tokens ---- */
struct tok { char *s; int col; };

static int parse_size(const char *s, unsigned long *out)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(s, &end, 0);
    if (end == s || errno) return -1;
    unsigned long m = 1;
    if (*end) {
        switch (*end) {
        case 'K': case 'k': m = 1024UL; break;
        case 'M': case 'm': m = 1024UL * 1024; break;
        case 'G': case 'g': m = 1024UL * 1024 * 1024; break;
        case 'P': case 'p': m = PG; break;
        default: return -1;
        }
        if (end[1]) return -1;
    }
    *out = v * m;
    return 0;
}

static int parse_perms(const char *s)
{
    if (strlen(s) != 3) return -1;
    int p = 0;
    if (s[0] == 'r') p |= PROT_READ; else if (s[0] != '-') return -1;
    if (s[1] == 'w') p |= PROT_WRITE; else if (s[1] != '-') return -1;
    if (s[2] == 'x') p |= PROT_EXEC; else if (s[2] != '-') return -1;
    return p;
}

static struct proc *find_proc(const char *n)
{
    for (int i = 0; i < nprocs; i++)
        if (!strcmp(procs[i].name, n)) return &procs[i];
    return NULL;
}
static struct region *find_region(const char *n)
{
    for (int i = nregions - 1; i >= 0; i--)
        if (!strcmp(regions[i].name, n)) return &regions[i];
    return NULL;
}

/* ---- worker control ---- */
static int proc_exit_code(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    char *s = slurp(path, NULL);
    if (!s) return -1;
    char *p = strrchr(s, ')');
    int field = 2, v = -1;
    for (; p && *p; p++) {
        if (*p == ' ' && ++field == 52) { v = atoi(p + 1); break; }
    }
    free(s);
    return v;
}

static void mark_dead(struct proc *P)
{
    int code = proc_exit_code(P->pid);
    int st;
    if (waitpid(P->pid, &st, WNOHANG) == P->pid) code = st;
    P->alive = 0;
    if (code >= 0 && WIFSIGNALED(code)) P->sig = WTERMSIG(code);
    close(P->cmdfd);
    close(P->ackfd);
    if (!P->exited)
        note("process %s (pid %d) died: %s", P->name, P->pid,
             P->sig ? strsignal(P->sig) : "exited");
}

/* returns 0 and fills *a, or -1 if the worker died */
/* Reads one whole ack from a worker; -1 if its channel closed (it died). */
static int read_ack(struct proc *P, struct ack *a)
{
    size_t got = 0;
    while (got < sizeof *a) {
        ssize_t r = read(P->ackfd, (char *)a + got, sizeof *a - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        got += r;
    }
    return 0;
}

static int send_cmd(struct proc *P, struct cmd *c, struct ack *a)
{
    if (write(P->cmdfd, c, sizeof *c) != (ssize_t)sizeof *c || read_ack(P, a)) {
        mark_dead(P);
        return -1;
    }
    return 0;
}

static void open_channel(struct proc *P, const char *cp, const char *ap)
{
    alarm(30);
    P->cmdfd = open(cp, O_WRONLY | O_CLOEXEC);
    P->ackfd = open(ap, O_RDONLY | O_CLOEXEC);
    alarm(0);
    if (P->cmdfd < 0 || P->ackfd < 0) { perror("open fifo"); exit(2); }
}

static void fifo_paths(const char *name, char *cp, char *ap)
{
    snprintf(cp, 480, "%s/%s.cmd", tmpdir, name);
    snprintf(ap, 480, "%s/%s.ack", tmpdir, name);
    unlink(cp); unlink(ap);
    if (mkfifo(cp, 0600) || mkfifo(ap, 0600)) { perror("mkfifo"); exit(2); }
}

static void record_initial_maps(struct proc *P)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", P->pid);
    P->initial_maps = slurp(path, NULL);
}

static struct proc *new_proc(const char *name, int col)
{
    if (find_proc(name)) {
        struct proc *old = find_proc(name);
        if (old->alive) die_at(col, "process %s already exists", name);
        old->name[0] = 0; /* retire the old one */
    }
    if (nprocs == MAXP) die_at(col, "too many processes");
    struct proc *P = &procs[nprocs++];
    memset(P, 0, sizeof *P);
    snprintf(P->name, sizeof P->name, "%s", name);
    P->line = cur_line;
    return P;
}

static void do_exec(const char *name, int col)
{
    struct proc *P = new_proc(name, col);
    char cp[480], ap[480];
    fifo_paths(name, cp, ap);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) { perror("fork"); exit(2); }
    if (pid == 0) {
        struct rlimit rl = { 0, 0 };
        setrlimit(RLIMIT_CORE, &rl);
        if (have_cg) {
            char p[PATH_MAX + 32], v[32];
            snprintf(p, sizeof p, "%s/cgroup.procs", cgdir);
            snprintf(v, sizeof v, "%d", getpid());
            write_str(p, v);
        }
        int pers = personality(0xffffffff);
        personality(pers | ADDR_NO_RANDOMIZE);
        char *argv[] = { self_exe, "--worker", cp, ap, NULL };
        char *envp[] = { NULL };
        execve(self_exe, argv, envp);
        _exit(127);
    }
    P->pid = pid;
    P->alive = 1;
    open_channel(P, cp, ap);
    struct ack a;
    if (read_ack(P, &a)) { fprintf(stderr, "worker %s failed to start\n", name); exit(2); }
    if (a.status) note("worker %s: could not shrink brk to start_brk (start_brk=%#lx brk=%#lx)",
                       name, a.v1, a.v2);
    P->start_brk = a.v1;
    P->cur_brk = a.v2;
    record_initial_maps(P);
}

static void do_fork(const char *qname, struct proc *P, int col)
{
    char cp[480], ap[480];
    if (find_proc(qname) && find_proc(qname)->alive) die_at(col, "process %s already exists", qname);
    fifo_paths(qname, cp, ap);
    struct cmd c = { .op = OP_FORK };
    memcpy(c.p1, cp, sizeof c.p1);
    memcpy(c.p2, ap, sizeof c.p2);
    struct ack a;
    unsigned long sb = P->start_brk, cb = P->cur_brk;
    if (send_cmd(P, &c, &a)) return;
    if (a.status) { note("fork failed: %s", strerror((int)-a.status)); return; }
    struct proc *Q = new_proc(qname, col);
    Q->pid = (pid_t)a.v1;
    Q->alive = 1;
    Q->start_brk = sb;
    Q->cur_brk = cb;
    open_channel(Q, cp, ap);
    struct ack b;
    if (read_ack(Q, &b)) { fprintf(stderr, "forked worker %s failed to start\n", qname); exit(2); }
    record_initial_maps(Q);
}

/* ---- /proc access ---- */
struct vma { unsigned long start, end; const char *text; size_t len; };

/* split smaps text into entries */
static int split_smaps(char *s, struct vma *v, int max)
{
    int n = 0;
    char *p = s;
    while (*p && n < max) {
        unsigned long a, b;
        char *e;
        a = strtoul(p, &e, 16);
        if (*e != '-') { p = strchr(p, '\n'); if (!p) break; p++; continue; }
        b = strtoul(e + 1, &e, 16);
        v[n].start = a; v[n].end = b; v[n].text = p;
        /* find next header */
        char *q = strchr(p, '\n');
        while (q) {
            q++;
            if (!*q) break;
            char *h = q;
            while (isxdigit((unsigned char)*h)) h++;
            if (*h == '-' && h != q) break;
            q = strchr(q, '\n');
        }
        if (!q) q = p + strlen(p);
        v[n].len = q - p;
        n++;
        p = q;
    }
    return n;
}

static char *read_proc(struct proc *P, const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/%s", P->pid, what);
    return slurp(path, NULL);
}

/* stack VMA from maps */
static int find_stack(struct proc *P, unsigned long *s, unsigned long *e)
{
    char *m = read_proc(P, "maps");
    if (!m) return -1;
    int ok = -1;
    for (char *l = m; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl) *nl = 0;
        if (strstr(l, "[stack]")) {
            *s = strtoul(l, NULL, 16);
            *e = strtoul(strchr(l, '-') + 1, NULL, 16);
            ok = 0;
        }
        l = nl ? nl + 1 : NULL;
    }
    free(m);
    return ok;
}

/* resolve region spec to [start,end) */
static int resolve(struct proc *P, const char *spec, unsigned long *s, unsigned long *e, int col)
{
    if (!strcmp(spec, "heap")) { *s = P->start_brk; *e = P->cur_brk; return 0; }
    if (!strcmp(spec, "stack")) {
        if (find_stack(P, s, e)) die_at(col, "no [stack] in %s", P->name);
        return 0;
    }
    if (!strncmp(spec, "0x", 2)) {
        char *end;
        *s = strtoul(spec, &end, 16);
        if (*end) die_at(col, "bad address %s", spec);
        *e = ((*s & ~(PG - 1)) + PG);
        return 1; /* an address: default range is the rest of its page */
    }
    struct region *R = find_region(spec);
    if (!R) die_at(col, "unknown region %s", spec);
    *s = R->addr;
    *e = R->addr + R->size;
    return 0;
}

/* parse "R [OFF [SIZE]]" into a range */
static void range_args(struct proc *P, struct tok *t, int n, int i, unsigned long *s,
                       unsigned long *e, int single_if_off)
{
    unsigned long rs, re, off, sz;
    resolve(P, t[i].s, &rs, &re, t[i].col);
    *s = rs; *e = re;
    if (n > i + 1) {
        if (parse_size(t[i + 1].s, &off)) die_at(t[i + 1].col, "bad offset %s", t[i + 1].s);
        *s = rs + off;
        if (n > i + 2) {
            if (parse_size(t[i + 2].s, &sz)) die_at(t[i + 2].col, "bad size %s", t[i + 2].s);
            *e = *s + sz;
        } else {
            *e = single_if_off ? *s + 1 : re;
        }
    }
}

static void set_thp(const char *mode, int col);

static void show_smaps(struct proc *P, int has_r, unsigned long s, unsigned long e)
{
    char *text = read_proc(P, "smaps");
    if (!text) return;
    static struct vma v[4096];
    int n = split_smaps(text, v, 4096);
    for (int i = 0; i < n; i++)
        if (!has_r || (v[i].start < e && v[i].end > s))
            fwrite(v[i].text, 1, v[i].len, stdout);
    free(text);
}

static const char *status_keys[] = { "VmPeak:", "VmSize:", "VmLck:", "VmPin:", "VmHWM:", "VmRSS:",
    "RssAnon:", "RssFile:", "RssShmem:", "VmData:", "VmStk:", "VmExe:", "VmLib:", "VmPTE:",
    "VmSwap:", NULL };

static void show_status(struct proc *P)
{
    char *text = read_proc(P, "status");
    if (!text) return;
    for (char *l = text; l && *l;) {
        char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l + 1) : strlen(l);
        for (int k = 0; status_keys[k]; k++)
            if (!strncmp(l, status_keys[k], strlen(status_keys[k]))) fwrite(l, 1, len, stdout);
        l = nl ? nl + 1 : NULL;
    }
    free(text);
}

static void show_pagetable(struct proc *P, unsigned long va)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/pagemap", P->pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    uint64_t ent = 0;
    if (fd < 0 || pread(fd, &ent, 8, (va / PG) * 8) != 8) {
        printf("pagemap %#lx: unreadable\n", va);
        if (fd >= 0) close(fd);
        return;
    }
    close(fd);
    int present = (ent >> 63) & 1, swapped = (ent >> 62) & 1, fileshared = (ent >> 61) & 1;
    int guard = (ent >> 58) & 1, uffdwp = (ent >> 57) & 1, excl = (ent >> 56) & 1,
        sd = (ent >> 55) & 1;
    printf("pagemap 0x%lx: present=%d swapped=%d", va & ~(PG - 1), present, swapped);
    if (present) {
        unsigned long pfn = ent & ((1ULL << 55) - 1);
        if (pfn && pfn == zero_pfn) printf(" pfn=zero");
        else if (opt_stable) printf(" pfn=%s", pfn ? "set" : "0");
        else printf(" pfn=0x%lx", pfn);
    } else if (swapped) {
        unsigned long type = ent & 0x1f, off = (ent >> 5) & ((1ULL << 50) - 1);
        if (opt_stable) printf(" swap-type=%lu swap-offset=set", type);
        else printf(" swap-type=%lu swap-offset=0x%lx", type, off);
    }
    printf(" soft-dirty=%d exclusive=%d file-or-shared=%d uffd-wp=%d guard=%d\n", sd, excl,
           fileshared, uffdwp, guard);
}

/* sum of one smaps/status field (kB) over VMAs overlapping [s,e) */
static long sum_field(struct proc *P, const char *field, unsigned long s, unsigned long e)
{
    char key[80];
    snprintf(key, sizeof key, "%s:", field);
    if (!strncmp(field, "Vm", 2) || (!strncmp(field, "Rss", 3) && strcmp(field, "Rss"))) {
        char *text = read_proc(P, "status");
        long v = -1;
        char *p = text ? strstr(text, key) : NULL;
        if (p && (p == text || p[-1] == '\n')) v = strtol(p + strlen(key), NULL, 10);
        free(text);
        return v;
    }
    char *text = read_proc(P, "smaps");
    if (!text) return -1;
    static struct vma v[4096];
    int n = split_smaps(text, v, 4096);
    long sum = 0;
    int found = 0;
    for (int i = 0; i < n; i++) {
        if (!(v[i].start < e && v[i].end > s)) continue;
        const char *p = v[i].text, *end = v[i].text + v[i].len;
        while (p < end) {
            if (!strncmp(p, key, strlen(key))) {
                sum += strtol(p + strlen(key), NULL, 10);
                found = 1;
                break;
            }
            p = memchr(p, '\n', end - p);
            if (!p) break;
            p++;
        }
    }
    free(text);
    return found || n ? sum : -1;
}

/* ---- cgroup reclaim ---- */
static void setup_cgroup(void)
{
    snprintf(cgdir, sizeof cgdir, "/sys/fs/cgroup/memory/asx-oracle-%d", getpid());
    if (mkdir(cgdir, 0755) == 0) have_cg = 1;
}

static unsigned long cg_read(const char *f)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/%s", cgdir, f);
    char *s = slurp(p, NULL);
    unsigned long v = s ? strtoul(s, NULL, 10) : 0;
    free(s);
    return v;
}

/* bytes on the cgroup's LRU lists (anon + file), from memory.stat */
static long cg_lru(void)
{
    char p[PATH_MAX + 64];
    snprintf(p, sizeof p, "%s/memory.stat", cgdir);
    char *s = slurp(p, NULL);
    if (!s) return -1;
    long sum = 0;
    const char *keys[] = { "inactive_anon ", "active_anon ", "inactive_file ", "active_file ", NULL };
    for (int k = 0; keys[k]; k++) {
        char *q = strstr(s, keys[k]);
        while (q && q != s && q[-1] != '\n') q = strstr(q + 1, keys[k]);
        if (q) sum += strtol(q + strlen(keys[k]), NULL, 10);
    }
    free(s);
    return sum;
}

/*
 * reclaim SIZE: lower memory.limit_in_bytes below the usage so the kernel's
 * memcg reclaim (try_to_free_mem_cgroup_pages, the same shrink_lruvec path
 * as global reclaim) frees pages, then restore the limit.  The first limit
 * write usually only drains the per-CPU charge stock (up to 64 pages per
 * CPU are pre-charged and counted in usage_in_bytes), so repeat until the
 * LRU lists (memory.stat) have shrunk by SIZE, at most 8 rounds.
 */
static void do_reclaim(unsigned long size)
{
    if (!have_cg) { note("reclaim skipped: no memory cgroup"); return; }
    char p[PATH_MAX + 64], v[64];
    snprintf(p, sizeof p, "%s/memory.limit_in_bytes", cgdir);
    long lru0 = cg_lru(), freed = 0;
    int round;
    for (round = 0; round < 8 && freed < (long)size; round++) {
        long usage = (long)cg_read("memory.usage_in_bytes");
        long target = usage - ((long)size - freed);
        if (target < 0) target = 0;
        snprintf(v, sizeof v, "%ld", target);
        int e = write_str(p, v);
        write_str(p, "-1");
        freed = lru0 - cg_lru();
        if (e) break;
    }
    note("reclaim %lu: cgroup LRU pages %ld kB -> %ld kB (freed %ld kB in %d limit round(s))",
         size, lru0 / 1024, (lru0 - freed) / 1024, freed / 1024, round);
}

/* ---- cold page cache ---- */
static void make_cold(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { note("cannot open %s: %s", path, strerror(errno)); return; }
    struct stat st;
    fstat(fd, &st);
    for (int i = 0; i < 3; i++) {
        fdatasync(fd);
        posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
        if (st.st_size == 0) break;
        void *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
        if (m == MAP_FAILED) break;
        size_t np = (st.st_size + PG - 1) / PG, res = 0;
        unsigned char vec[np];
        if (mincore(m, st.st_size, vec) == 0)
            for (size_t k = 0; k < np; k++) res += vec[k] & 1;
        munmap(m, st.st_size);
        if (res == 0) break;
        if (i == 2) note("%s: %zu pages still cached after DONTNEED", path, res);
    }
    close(fd);
}

static void find_zero_pfn(void)
{
    volatile char *m = mmap(NULL, PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED) return;
    (void)m[0];
    int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    uint64_t ent;
    if (fd >= 0 && pread(fd, &ent, 8, ((unsigned long)m / PG) * 8) == 8 && (ent >> 63))
        zero_pfn = ent & ((1ULL << 55) - 1);
    if (fd >= 0) close(fd);
    munmap((void *)m, PG);
}

/* ---- JSON ---- */
static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\') fprintf(f, "\\%c", *s);
        else if (*s == '\n') fputs("\\n", f);
        else if ((unsigned char)*s < 0x20) fprintf(f, "\\u%04x", *s);
        else fputc(*s, f);
    }
    fputc('"', f);
}

static void write_regions(void)
{
    FILE *f = fopen(opt_regions, "w");
    if (!f) { perror(opt_regions); return; }
    fprintf(f, "{\n  \"scenario\": ");
    json_str(f, scen_path);
    fprintf(f, ",\n  \"processes\": [");
    for (int i = 0; i < nprocs; i++) {
        struct proc *P = &procs[i];
        fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
        json_str(f, P->name);
        fprintf(f, ", \"line\": %d, \"start_brk\": \"0x%lx\", \"brk\": \"0x%lx\", \"killed\": ",
                P->line, P->start_brk, P->cur_brk);
        if (P->sig) json_str(f, sigabbrev_np(P->sig)); else fputs("null", f);
        fprintf(f, ",\n     \"initial_maps\": ");
        json_str(f, P->initial_maps);
        fputc('}', f);
    }
    fprintf(f, "\n  ],\n  \"regions\": [");
    for (int i = 0; i < nregions; i++) {
        struct region *R = &regions[i];
        fprintf(f, "%s\n    {\"name\": ", i ? "," : "");
        json_str(f, R->name);
        fprintf(f, ", \"process\": ");
        json_str(f, R->proc);
        fprintf(f, ", \"line\": %d, \"start\": \"0x%lx\", \"end\": \"0x%lx\", \"size\": %lu, \"what\": ",
                R->line, R->addr, R->addr + R->size, R->size);
        json_str(f, R->desc);
        fputc('}', f);
    }
    fprintf(f, "\n  ]\n}\n");
    fclose(f);
}

/* ---- statements ---- */
static int tokenize(char *line, struct tok *t)
{
    int n = 0;
    char *p = line;
    while (*p) {
        while (*p == ' ' || *p == '\t') p++;
        if (!*p) break;
        if (n == MAXTOK) die_at((int)(p - line) + 1, "too many tokens");
        t[n].s = p;
        t[n].col = (int)(p - line) + 1;
        n++;
        while (*p && *p != ' ' && *p != '\t') p++;
        if (*p) *p++ = 0;
    }
    return n;
}

static struct proc *need_proc(struct tok *t, int i, int n)
{
    if (i >= n) die_at(t[n - 1].col, "missing process name");
    struct proc *P = find_proc(t[i].s);
    if (!P) die_at(t[i].col, "unknown process %s", t[i].s);
    if (!P->alive) {
        note("statement skipped: process %s is dead", P->name);
        return NULL;
    }
    return P;
}

static void exec_stmt(char *stmt_text, struct tok *t, int n)
{
    const char *kw = t[0].s;
    struct cmd c;
    struct ack a;
    memset(&c, 0, sizeof c);

    if (n >= 3 && !strcmp(t[1].s, "=")) {
        const char *name = t[0].s;
        if (!strcmp(t[2].s, "exec")) {
            if (n < 4) die_at(t[2].col, "exec needs a PATH");
            note("exec %s: PATH ignored, worker is the oracle binary itself", t[3].s);
            do_exec(name, t[0].col);
            return;
        }
        if (!strcmp(t[2].s, "fork")) {
            if (n != 4) die_at(t[2].col, "usage: Q = fork P");
            struct proc *P = need_proc(t, 3, n);
            if (P) do_fork(name, P, t[0].col);
            return;
        }
        if (!strcmp(t[2].s, "mmap")) {
            if (n < 8) die_at(t[2].col, "usage: R = mmap P SIZE PERMS private|shared anon|file PATH");
            struct proc *P = need_proc(t, 3, n);
            if (!P) return;
            unsigned long size, off = 0;
            if (parse_size(t[4].s, &size)) die_at(t[4].col, "bad size %s", t[4].s);
            int prot = parse_perms(t[5].s);
            if (prot < 0) die_at(t[5].col, "bad permissions %s", t[5].s);
            int flags, extra = 0;
            /* noreserve (MAP_NORESERVE) anywhere after the permissions; at ADDR
             * (MAP_FIXED_NOREPLACE) at the end. */
            for (int i = 6; i < n; i++)
                if (!strcmp(t[i].s, "noreserve")) {
                    extra |= MAP_NORESERVE;
                    for (int j = i; j + 1 < n; j++) t[j] = t[j + 1];
                    n--;
                    i--;
                }
            c.f = 0;
            if (n >= 10 && !strcmp(t[n - 2].s, "at")) {
                char *end;
                c.f = (long)strtoul(t[n - 1].s, &end, 0);
                if (*end || (c.f & (PG - 1))) die_at(t[n - 1].col, "bad address %s", t[n - 1].s);
                extra |= MAP_FIXED_NOREPLACE;
                n -= 2;
            }
            if (!strcmp(t[6].s, "private")) flags = MAP_PRIVATE;
            else if (!strcmp(t[6].s, "shared")) flags = MAP_SHARED;
            else die_at(t[6].col, "expected private or shared");
            c.op = OP_MMAP; c.a = size; c.b = prot; c.c = flags | extra;
            if (!strcmp(t[7].s, "anon")) {
                if (n != 8) die_at(t[8].col, "unexpected token");
                c.c |= MAP_ANONYMOUS;
                c.e = 0;
            } else if (!strcmp(t[7].s, "file")) {
                if (n < 9) die_at(t[7].col, "file needs a PATH");
                char rel[PATH_MAX * 2];
                if (t[8].s[0] == '/') snprintf(rel, sizeof rel, "%s", t[8].s);
                else snprintf(rel, sizeof rel, "%s/%s", scen_dir, t[8].s);
                snprintf(c.p1, sizeof c.p1, "%s", rel);
                c.e = 1;
                if (n > 9) {
                    if (n != 11 || strcmp(t[9].s, "offset")) die_at(t[9].col, "expected offset OFF");
                    if (parse_size(t[10].s, &off)) die_at(t[10].col, "bad offset");
                }
                c.d = off;
            } else die_at(t[7].col, "expected anon or file");
            if (send_cmd(P, &c, &a)) return;
            if (a.status) { note("mmap failed: %s", strerror((int)-a.status)); return; }
            if (nregions == MAXR) die_at(t[0].col, "too many regions");
            struct region *R = &regions[nregions++];
            snprintf(R->name, sizeof R->name, "%s", name);
            snprintf(R->proc, sizeof R->proc, "%s", P->name);
            R->addr = a.v1;
            R->size = (size + PG - 1) & ~(PG - 1);
            R->line = cur_line;
            snprintf(R->desc, sizeof R->desc, "%s", stmt_text);
            return;
        }
        die_at(t[2].col, "unknown statement %s", t[2].s);
    }

    if (!strcmp(kw, "set")) {
        if (n != 3) die_at(t[0].col, "usage: set KEY VALUE");
        if (!strcmp(t[1].s, "swap")) {
            unsigned long sz;
            if (parse_size(t[2].s, &sz)) die_at(t[2].col, "bad size");
            char *sw = slurp("/proc/swaps", NULL);
            int lines = 0;
            for (char *q = sw; q && *q; q++) lines += *q == '\n';
            if (sz && lines < 2) note("set swap %s: no swap is active (run test/oracle/swap.sh)", t[2].s);
            else if (!sz && lines >= 2) note("set swap 0: swap IS active on this machine");
            free(sw);
        } else if (!strcmp(t[1].s, "ram") || !strcmp(t[1].s, "seed") || !strcmp(t[1].s, "aslr")) {
            note("set %s %s: noted, not applied (workers always run with ASLR off)", t[1].s, t[2].s);
        } else if (!strcmp(t[1].s, "thp")) {
            set_thp(t[2].s, t[2].col);
        } else die_at(t[1].col, "unknown setting %s", t[1].s);
        return;
    }
    if (!strcmp(kw, "exit")) {
        if (n != 2) die_at(t[0].col, "usage: exit P");
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        c.op = OP_EXIT;
        P->exited = 1;
        if (write(P->cmdfd, &c, sizeof c) == (ssize_t)sizeof c) {
            char b;
            while (read(P->ackfd, &b, 1) > 0) {}
        }
        mark_dead(P);
        return;
    }
    if (!strcmp(kw, "read") || !strcmp(kw, "write") || !strcmp(kw, "exec")) {
        if (n < 3 || n > 5) die_at(t[0].col, "usage: %s P R [OFF [SIZE]]", kw);
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        unsigned long s, e;
        range_args(P, t, n, 2, &s, &e, 1);
        c.op = OP_ACCESS; c.a = s; c.b = e;
        c.c = kw[0] == 'r' ? ACC_READ : kw[0] == 'w' ? ACC_WRITE : ACC_EXEC;
        send_cmd(P, &c, &a);
        return;
    }
    if (!strcmp(kw, "munmap") || !strcmp(kw, "msync")) {
        if (n != 3 && n != 5) die_at(t[0].col, "usage: %s P R [OFF SIZE]", kw);
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        unsigned long s, e;
        range_args(P, t, n, 2, &s, &e, 0);
        c.op = kw[1] == 'u' ? OP_MUNMAP : OP_MSYNC;
        c.a = s; c.b = e - s;
        if (!send_cmd(P, &c, &a) && a.status) note("%s failed: %s", kw, strerror((int)-a.status));
        return;
    }
    if (!strcmp(kw, "mlock") || !strcmp(kw, "munlock")) {
        if (n != 3 && n != 5) die_at(t[0].col, "usage: %s P R [OFF SIZE]", kw);
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        unsigned long s, e;
        range_args(P, t, n, 2, &s, &e, 0);
        c.op = kw[1] == 'l' ? OP_MLOCK : OP_MUNLOCK;
        c.a = s; c.b = e - s;
        if (!send_cmd(P, &c, &a) && a.status) note("%s failed: %s", kw, strerror((int)-a.status));
        return;
    }
    if (!strcmp(kw, "mremap")) {
        if (n != 4 && n != 5) die_at(t[0].col, "usage: mremap P R NEWSIZE [maymove]");
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        struct region *R = find_region(t[2].s);
        if (!R) die_at(t[2].col, "unknown region %s", t[2].s);
        unsigned long nsz;
        if (parse_size(t[3].s, &nsz)) die_at(t[3].col, "bad size %s", t[3].s);
        if (n == 5 && strcmp(t[4].s, "maymove")) die_at(t[4].col, "expected maymove");
        c.op = OP_MREMAP;
        c.a = R->addr; c.b = R->size; c.c = nsz; c.d = n == 5 ? MREMAP_MAYMOVE : 0;
        if (send_cmd(P, &c, &a)) return;
        if (a.status) { note("mremap failed: %s", strerror((int)-a.status)); return; }
        R->addr = a.v1;
        R->size = (nsz + PG - 1) & ~(PG - 1);
        return;
    }
    if (!strcmp(kw, "mprotect") || !strcmp(kw, "madvise")) {
        if (n != 4 && n != 6) die_at(t[0].col, "usage: %s P R [OFF SIZE] ARG", kw);
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        unsigned long s, e;
        range_args(P, t, n - 1, 2, &s, &e, 0);
        const char *arg = t[n - 1].s;
        c.a = s; c.b = e - s;
        if (kw[1] == 'p') {
            c.op = OP_MPROTECT;
            int p = parse_perms(arg);
            if (p < 0) die_at(t[n - 1].col, "bad permissions %s", arg);
            c.c = p;
        } else {
            c.op = OP_MADVISE;
            if (!strcmp(arg, "dontneed")) c.c = MADV_DONTNEED;
            else if (!strcmp(arg, "pageout")) c.c = MADV_PAGEOUT;
            else if (!strcmp(arg, "cold")) c.c = MADV_COLD;
            else if (!strcmp(arg, "willneed")) c.c = MADV_WILLNEED;
            else if (!strcmp(arg, "free")) c.c = MADV_FREE;
            else if (!strcmp(arg, "hugepage")) c.c = MADV_HUGEPAGE;
            else if (!strcmp(arg, "nohugepage")) c.c = MADV_NOHUGEPAGE;
            else if (!strcmp(arg, "dontfork")) c.c = MADV_DONTFORK;
            else if (!strcmp(arg, "dofork")) c.c = MADV_DOFORK;
            else if (!strcmp(arg, "random")) c.c = MADV_RANDOM;
            else if (!strcmp(arg, "sequential")) c.c = MADV_SEQUENTIAL;
            else if (!strcmp(arg, "normal")) c.c = MADV_NORMAL;
            else die_at(t[n - 1].col, "unknown advice %s", arg);
        }
        if (!send_cmd(P, &c, &a) && a.status) note("%s failed: %s", kw, strerror((int)-a.status));
        return;
    }
    if (!strcmp(kw, "brk")) {
        if (n != 3) die_at(t[0].col, "usage: brk P +SIZE|-SIZE");
        struct proc *P = need_proc(t, 1, n);
        if (!P) return;
        unsigned long sz;
        char sign = t[2].s[0];
        if ((sign != '+' && sign != '-') || parse_size(t[2].s + 1, &sz))
            die_at(t[2].col, "bad brk delta %s", t[2].s);
        c.op = OP_BRK;
        c.a = sign == '+' ? P->cur_brk + sz : P->cur_brk - sz;
        if (send_cmd(P, &c, &a)) return;
        if (a.status) note("brk failed (brk stays %#lx)", a.v1);
        P->cur_brk = a.v1;
        return;
    }
    if (!strcmp(kw, "reclaim")) {
        unsigned long sz;
        if (n != 2 || parse_size(t[1].s, &sz)) die_at(t[0].col, "usage: reclaim SIZE");
        do_reclaim(sz);
        return;
    }
    if (!strcmp(kw, "expect")) {
        if (n < 3) die_at(t[0].col, "usage: expect P R FIELD=SIZE... | expect P killed SIG");
        struct proc *P = find_proc(t[1].s);
        if (!P) die_at(t[1].col, "unknown process %s", t[1].s);
        if (!strcmp(t[2].s, "killed")) {
            const char *want = n > 3 ? t[3].s : "SIGSEGV";
            int ok = !P->alive && P->sig && !strcmp(sigabbrev_np(P->sig), want + 3);
            fprintf(stderr, "%s:%d: %s: %s (actual: %s)\n", scen_path, cur_line, ok ? "PASS" : "FAIL",
                    stmt_text, P->alive ? "alive" : P->sig ? sigabbrev_np(P->sig) : "exited");
            ok ? passes++ : fails++;
            return;
        }
        if (!P->alive) {
            fprintf(stderr, "%s:%d: FAIL: %s (process is dead)\n", scen_path, cur_line, stmt_text);
            fails++;
            return;
        }
        unsigned long s, e;
        resolve(P, t[2].s, &s, &e, t[2].col);
        for (int i = 3; i < n; i++) {
            char *eq = strchr(t[i].s, '=');
            if (!eq) die_at(t[i].col, "expected FIELD=SIZE");
            *eq = 0;
            unsigned long want;
            if (parse_size(eq + 1, &want)) die_at(t[i].col, "bad size %s", eq + 1);
            long got = sum_field(P, t[i].s, s, e);
            int ok = got >= 0 && (unsigned long)got * 1024 == want;
            fprintf(stderr, "%s:%d: %s: %s %s %s=%lukB (actual %ldkB)\n", scen_path, cur_line,
                    ok ? "PASS" : "FAIL", P->name, t[2].s, t[i].s, want / 1024, got);
            ok ? passes++ : fails++;
            *eq = '=';
        }
        return;
    }
    if (!strcmp(kw, "show")) {
        if (n < 3) die_at(t[0].col, "usage: show maps|smaps|rollup|status|pagetable P ...");
        const char *what = t[1].s;
        struct proc *P = need_proc(t, 2, n);
        if (!P) return;
        unsigned long s = 0, e = 0;
        if (!strcmp(what, "smaps")) {
            if (n > 4) die_at(t[4].col, "usage: show smaps P [R]");
            if (n == 4) resolve(P, t[3].s, &s, &e, t[3].col);
            printf("# %d: %s\n", cur_line, stmt_text);
            show_smaps(P, n == 4, s, e);
        } else if (!strcmp(what, "maps") || !strcmp(what, "rollup") || !strcmp(what, "status")) {
            if (n != 3) die_at(t[3].col, "usage: show %s P", what);
            printf("# %d: %s\n", cur_line, stmt_text);
            if (what[0] == 's') show_status(P);
            else {
                char *text = read_proc(P, what[0] == 'm' ? "maps" : "smaps_rollup");
                if (text) fputs(text, stdout);
                free(text);
            }
        } else if (!strcmp(what, "pagetable")) {
            if (n != 4 && n != 5) die_at(t[0].col, "usage: show pagetable P R [OFF]");
            int isaddr = resolve(P, t[3].s, &s, &e, t[3].col);
            (void)isaddr;
            unsigned long off = 0;
            if (n == 5 && parse_size(t[4].s, &off)) die_at(t[4].col, "bad offset");
            printf("# %d: %s\n", cur_line, stmt_text);
            show_pagetable(P, s + off);
        } else die_at(t[1].col, "unknown show target %s", what);
        fflush(stdout);
        return;
    }
    die_at(t[0].col, "unknown statement %s", kw);
}

static void cleanup(void)
{
    for (int i = 0; i < nprocs; i++) {
        struct proc *P = &procs[i];
        if (P->alive) {
            struct cmd c = { .op = OP_EXIT };
            P->exited = 1;
            if (write(P->cmdfd, &c, sizeof c) == (ssize_t)sizeof c) {
                char b;
                while (read(P->ackfd, &b, 1) > 0) {}
            }
            P->alive = 0;
            close(P->cmdfd);
            close(P->ackfd);
        }
    }
    while (waitpid(-1, NULL, 0) > 0) {}
    for (int i = 0; i < nprocs; i++) {
        char p[PATH_MAX + 64];
        snprintf(p, sizeof p, "%s/%s.cmd", tmpdir, procs[i].name); unlink(p);
        snprintf(p, sizeof p, "%s/%s.ack", tmpdir, procs[i].name); unlink(p);
    }
    rmdir(tmpdir);
    if (have_cg) rmdir(cgdir);
}

/* `set thp MODE`: /sys/kernel/mm/transparent_hugepage/enabled, restored at exit (a machine-wide knob:
 * other processes see the mode while the scenario runs). */
#define THP_ENABLED "/sys/kernel/mm/transparent_hugepage/enabled"
static char thp_saved[16];
static void restore_thp(void)
{
    int fd = open(THP_ENABLED, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) { if (write(fd, thp_saved, strlen(thp_saved)) < 0) {} close(fd); }
}
static void set_thp(const char *mode, int col)
{
    if (strcmp(mode, "always") && strcmp(mode, "madvise") && strcmp(mode, "never"))
        die_at(col, "set thp always|madvise|never");
    if (!thp_saved[0]) {
        char *cur = slurp(THP_ENABLED, NULL);
        char *l = cur ? strchr(cur, '[') : NULL, *r = l ? strchr(l, ']') : NULL;
        if (!l || !r || r - l - 1 >= (long)sizeof thp_saved) die_at(col, "cannot read " THP_ENABLED);
        memcpy(thp_saved, l + 1, r - l - 1);
        free(cur);
        atexit(restore_thp);
    }
    int fd = open(THP_ENABLED, O_WRONLY | O_CLOEXEC);
    if (fd < 0 || write(fd, mode, strlen(mode)) < 0) die_at(col, "cannot write " THP_ENABLED);
    close(fd);
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--worker")) worker_main(argv[2], argv[3]);

    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--stable")) opt_stable = 1;
        else if ((!strcmp(argv[i], "--regions") || !strcmp(argv[i], "--json")) && i + 1 < argc)
            opt_regions = argv[++i];
        else { fprintf(stderr, "unknown option %s\n", argv[i]); return 2; }
    }
    if (i != argc - 1) {
        fprintf(stderr, "usage: %s [--stable] [--regions FILE] SCENARIO.aspace\n", argv[0]);
        return 2;
    }
    scen_path = argv[i];
    size_t len;
    char *src = slurp(scen_path, &len);
    if (!src) { fprintf(stderr, "%s: %s\n", scen_path, strerror(errno)); return 2; }
    {
        char tmp[PATH_MAX];
        if (!realpath(scen_path, tmp)) { perror(scen_path); return 2; }
        char *sl = strrchr(tmp, '/');
        *sl = 0;
        snprintf(scen_dir, sizeof scen_dir, "%s", tmp[0] ? tmp : "/");
    }
    ssize_t l = readlink("/proc/self/exe", self_exe, sizeof self_exe - 1);
    if (l <= 0) { perror("readlink /proc/self/exe"); return 2; }
    self_exe[l] = 0;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/asx-oracle.XXXXXX");
    if (!mkdtemp(tmpdir)) { perror("mkdtemp"); return 2; }
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    /* One CPU for the coordinator and every worker (inherited): folios wait in
     * per-CPU LRU batches (lru_add), and MADV_PAGEOUT/COLD drain only the
     * calling CPU's (lru_add_drain), so on two CPUs a page faulted in on the
     * other one is skipped at random.  On one CPU every batch is drained. */
    {
        cpu_set_t one;
        CPU_ZERO(&one);
        CPU_SET(sched_getcpu() < 0 ? 0 : sched_getcpu(), &one);
        if (sched_setaffinity(0, sizeof one, &one)) note("sched_setaffinity: %s", strerror(errno));
    }
    setup_cgroup();
    find_zero_pfn();

    /* split lines; first pass: collect files to make cold */
    int nlines = 1;
    for (size_t k = 0; k < len; k++) nlines += src[k] == '\n';
    char **lines = calloc(nlines + 1, sizeof *lines);
    int nl = 0;
    for (char *p = src; p;) {
        lines[nl++] = p;
        char *q = strchr(p, '\n');
        if (q) { *q = 0; p = q + 1; if (!*p) break; } else p = NULL;
    }
    for (int k = 0; k < nl; k++) {
        char *h = strchr(lines[k], '#');
        if (h) *h = 0;
        char *s = lines[k];
        while (*s == ' ' || *s == '\t' || *s == '\r') s++;
        size_t sl = strlen(s);
        while (sl && (s[sl - 1] == ' ' || s[sl - 1] == '\t' || s[sl - 1] == '\r')) s[--sl] = 0;
        lines[k] = s;
    }
    for (int k = 0; k < nl; k++) {
        cur_line = k + 1;
        char buf[4096];
        snprintf(buf, sizeof buf, "%s", lines[k]);
        struct tok t[MAXTOK];
        int n = tokenize(buf, t);
        if (n >= 9 && !strcmp(t[1].s, "=") && !strcmp(t[2].s, "mmap") && !strcmp(t[7].s, "file")) {
            char rel[PATH_MAX * 2];
            if (t[8].s[0] == '/') snprintf(rel, sizeof rel, "%s", t[8].s);
            else snprintf(rel, sizeof rel, "%s/%s", scen_dir, t[8].s);
            make_cold(rel);
        }
    }

    for (int k = 0; k < nl; k++) {
        cur_line = k + 1;
        if (!lines[k][0]) continue;
        char stmt[4096], buf[4096];
        snprintf(stmt, sizeof stmt, "%s", lines[k]);
        snprintf(buf, sizeof buf, "%s", lines[k]);
        struct tok t[MAXTOK];
        int n = tokenize(buf, t);
        if (n) exec_stmt(stmt, t, n);
    }
    fflush(stdout);
    if (opt_regions) write_regions();
    cleanup();
    cur_line = nl;
    fprintf(stderr, "%s: %d expectation(s) passed, %d failed\n", scen_path, passes, fails);
    return fails ? 1 : 0;
}
