#!/bin/sh
# Build the oracle (static) and generate the scenario data files
# deterministically.  Usage: test/oracle/build.sh [OUT]   (default /tmp/aspace-oracle)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-/tmp/aspace-oracle}
gcc -O2 -static -o "$OUT" "$HERE/aspace-oracle.c"
# Write the binary back now: while its page-cache pages are dirty, the workers' text
# shows as Shared_Dirty/Pss_Dirty in their rollups, which makes goldens differ.
sync "$OUT"
echo "built $OUT"

DATA="$HERE/scenarios/data"
mkdir -p "$DATA"
# gen FILE SIZE: repeated text, a few different lines so pages are not all equal.
gen() {
    f="$DATA/$1"; size=$2
    if [ -f "$f" ] && [ "$(stat -c %s "$f")" = "$size" ]; then return; fi
    i=0
    while :; do printf 'asx-oracle data line %08d 0123456789abcdefghijklmnopqrstuvwxyz\n' $i; i=$((i+1)); done 2>/dev/null \
        | head -c "$size" > "$f.tmp" || true
    mv "$f.tmp" "$f"
}
gen file32.bin  131072    # 32 pages: fault-around / private CoW / two mappings
gen file256.bin 1048576   # 256 pages: readahead
gen shared32.bin 131072   # 32 pages: written through MAP_SHARED (content changes, size never)
gen fork32.bin  131072    # 32 pages: fork with a shared file mapping
gen warm32.bin  131072    # 32 pages: warm-cache fault-around
gen reclaim32.bin 131072  # 32 pages: reclaim
gen file4m.bin 4194304    # 1024 pages: two PMD-sized page-cache folios (THP)
echo "data files in $DATA"
