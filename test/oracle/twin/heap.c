/* malloc: small blocks from the brk heap (some freed), a large block glibc mmaps, part written,
 * and a calloc'd block never touched. */
#include <string.h>
#include "ready.h"

int main(void)
{
    char *small[200];
    for (int i = 0; i < 200; i++) {
        small[i] = must(malloc(1000), "malloc");
        memset(small[i], i, 1000);
    }
    for (int i = 0; i < 200; i += 3) free(small[i]);
    char *large = must(malloc(300000), "malloc large");
    memset(large, 7, 100000);
    char *zeroed = must(calloc(1, 1 << 20), "calloc");
    (void)zeroed;
    ready(NULL);
}
