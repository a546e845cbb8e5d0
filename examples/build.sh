#!/usr/bin/env bash
# Rebuilds the example binaries from their C sources. The results are committed,
# so `npm start` needs no compiler; run this only after changing a source.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
gcc -O2 -g0 -s -o hello/hello hello/hello.c
