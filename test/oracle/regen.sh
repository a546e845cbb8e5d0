#!/bin/sh
# Regenerate the differential goldens: build the oracle, make sure swap is on,
# run every scenario RUNS times (default 3), keep the first run's output in
# test/golden/scenarios/ and report scenarios whose output differs between runs.
# Usage: test/oracle/regen.sh [SCENARIO.aspace...]
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
GOLD="$ROOT/test/golden/scenarios"
ORACLE=${ORACLE:-/tmp/aspace-oracle}
RUNS=${RUNS:-3}
"$HERE/build.sh" "$ORACLE" >/dev/null || exit 2
"$HERE/swap.sh" >/dev/null || exit 2
mkdir -p "$GOLD"
TMP=$(mktemp -d)
cd "$HERE/scenarios" || exit 2
[ $# -gt 0 ] || set -- *.aspace
status=0
for f in "$@"; do
    n=$(basename "$f" .aspace)
    i=1
    while [ $i -le "$RUNS" ]; do
        "$ORACLE" --stable --regions "$TMP/$n.$i.json" "$f" >"$TMP/$n.$i.out" 2>"$TMP/$n.$i.err"
        echo $? >"$TMP/$n.$i.rc"
        i=$((i+1))
    done
    cp "$TMP/$n.1.out" "$GOLD/$n.out"
    cp "$TMP/$n.1.json" "$GOLD/$n.regions.json"
    unstable=""
    i=2
    while [ $i -le "$RUNS" ]; do
        cmp -s "$TMP/$n.1.out" "$TMP/$n.$i.out" || unstable="$unstable run$i"
        i=$((i+1))
    done
    rc=$(cat "$TMP/$n.1.rc")
    if [ -n "$unstable" ]; then
        echo "$n: rc=$rc UNSTABLE (differs in$unstable)"
        diff "$TMP/$n.1.out" "$TMP/$n.2.out" | head -20 | sed 's/^/    /'
    else
        echo "$n: rc=$rc stable over $RUNS runs"
    fi
    [ "$rc" = 0 ] || status=1
done
rm -rf "$TMP"
exit $status
