#!/usr/bin/env bash
# Fuzzes ShoalWire's decoding and validation for SECONDS seconds in one process, starting from fuzz/corpus.
# Usage: fuzz/run.sh SECONDS [LIBFUZZER_FLAGS...]
#
# New inputs go to fuzz/out/corpus (the committed corpus stays as it is), findings to fuzz/out/findings/, the full
# libFuzzer log to fuzz/out/fuzz.log. Prints the CPU time, executions and coverage reached, and exits 1 if libFuzzer
# found a crash, a broken property, a leak, a timeout or an out-of-memory input.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:?usage: fuzz/run.sh SECONDS [LIBFUZZER_FLAGS...]}
shift
fuzz/build.sh
out=fuzz/out
mkdir -p "$out/corpus" "$out/findings"
log=$out/fuzz.log
export OPENBLAS_NUM_THREADS=1
# Swift's own crash backtracer would take a trap before libFuzzer, which must see it to save the input.
export SWIFT_BACKTRACE=enable=no

# 4 KiB holds every seed ten times over, and a frame that large already reaches every limit the actor checks.
status=0
/usr/bin/time -f '%U %S' -o "$out/cpu-seconds" "$out/FuzzWire" -max_total_time="$seconds" -max_len=4096 \
    -timeout=10 -print_final_stats=1 -artifact_prefix="$out/findings/" "$@" "$out/corpus" fuzz/corpus \
    >"$log" 2>&1 || status=$?

# time(1) puts a line about a non-zero exit first: the figures are the last line.
tail -n 1 "$out/cpu-seconds" | awk '{ printf "CPU time: %.1f s (user %.1f s, system %.1f s)\n", $1 + $2, $1, $2 }'
grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse)' "$log" | tail -n 1 || true
grep '^stat::' "$log" || true
if [ "$status" -ne 0 ]; then
    echo "libFuzzer found something (exit $status); the input is in $out/findings/, the report in $log:"
    grep -E -A 30 '^==[0-9]+==|fuzz property failed|Fatal error' "$log" | head -n 60
    exit 1
fi
echo "nothing found"
