// A store past the end of a 1 MiB anonymous mapping, as `write P A OFF` does it: prints the
// mapping's address and the siginfo of the SIGSEGV that kills the process (si_code, si_addr).
// Runs without address randomization (re-executes itself with ADDR_NO_RANDOMIZE), static.
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <unistd.h>

static void handler(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  char buf[128];
  const char *code = si->si_code == SEGV_MAPERR ? "SEGV_MAPERR" : si->si_code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
  int n = snprintf(buf, sizeof buf, "signal %d %s %p\n", sig, code, si->si_addr);
  write(1, buf, n);
  _exit(0);
}

int main(int argc, char **argv) {
  if (!(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
    personality(ADDR_NO_RANDOMIZE);
    execv("/proc/self/exe", argv);
  }
  struct sigaction sa = {0};
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGSEGV, &sa, 0);
  volatile char *a = mmap(0, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("mmap %p\n", (void *)a);
  fflush(stdout);
  a[argc > 1 ? atol(argv[1]) : 2 << 20] = 1;
  return 1;
}
