#!/usr/bin/env bash
# Minimises fuzz/corpus together with what fuzz/run.sh found in fuzz/out/corpus: keeps the seeds, then the fewest
# inputs that reach every edge of ShoalCore and ShoalWire that any of them reaches. Usage: fuzz/merge.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz/build.sh
merged=$(mktemp -d)
trap 'rm -rf "$merged"' EXIT
cp fuzz/corpus/seed-* "$merged/"
# A set cover of edges, hit counts ignored: a regression corpus needs one input per edge, not one per loop count.
OPENBLAS_NUM_THREADS=1 fuzz/out/FuzzWire -set_cover_merge=1 -use_counters=0 "$merged" fuzz/corpus fuzz/out/corpus \
    >fuzz/out/merge.log 2>&1
find fuzz/corpus -type f ! -name 'seed-*' -delete
cp "$merged"/* fuzz/corpus/
echo "fuzz/corpus: $(find fuzz/corpus -type f | wc -l) files, $(cat fuzz/corpus/* | wc -c) bytes"
