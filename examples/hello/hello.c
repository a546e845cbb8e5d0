/*
 * The bundled example program of Address Space Explorer.
 * A little of everything the kernel maps: code, read-only data, initialised
 * data, a bss big enough to need its own anonymous mapping, and a PT_INTERP.
 * Built by examples/build.sh; the binary next to this file is committed.
 */
#include <stdio.h>
#include <string.h>

static const char greeting[] = "hello from the address space explorer";
static int counters[16] = {1, 2, 3};
static char scratch[64 * 1024]; /* 16 pages of bss */

int main(int argc, char **argv) {
  memset(scratch, argc, sizeof scratch);
  counters[0] += scratch[100];
  printf("%s (%d, %s)\n", greeting, counters[0], argv[0]);
  return 0;
}
