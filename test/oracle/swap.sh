#!/bin/sh
# Set up (or with --off, remove) the 256 MiB swapfile the oracle's swap
# scenarios need.  Idempotent.  Must run as root.
set -eu
SWAPFILE=${ASX_SWAPFILE:-/var/tmp/asx-swapfile}
SIZE=${ASX_SWAPSIZE:-256M}

active() { grep -q "^$SWAPFILE[[:space:]]" /proc/swaps; }

if [ "${1:-}" = "--off" ]; then
    if active; then swapoff "$SWAPFILE"; fi
    rm -f "$SWAPFILE"
    echo "swap: $SWAPFILE removed"
    exit 0
fi

if active; then
    echo "swap: $SWAPFILE already active"
    exit 0
fi
if [ ! -f "$SWAPFILE" ]; then
    fallocate -l "$SIZE" "$SWAPFILE"
fi
chmod 600 "$SWAPFILE"
mkswap "$SWAPFILE" >/dev/null
swapon "$SWAPFILE"
echo "swap: $SWAPFILE active"
cat /proc/swaps
