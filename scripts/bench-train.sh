#!/usr/bin/env bash
# Benchmarks the default single-node run: time and env steps to solve CartPole-v1 over several seeds, then
# steady-state throughput, policy lag and peak memory. Usage: scripts/bench-train.sh [SEEDS] [THROUGHPUT_SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=${1:-5}
seconds=${2:-20}
export OPENBLAS_NUM_THREADS=1
swift build -c release --product shoal >/dev/null
shoal=.build/release/shoal
runs=$(mktemp -d)

summarise() {  # run directory -> one line of figures from its metrics and status
    python3 - "$1" <<'PY'
import json, statistics, sys
run = sys.argv[1]
records = [json.loads(line) for line in open(f"{run}/metrics.jsonl")]
status = json.load(open(f"{run}/status.json"))
last = records[-1]
lags = [r["lag/median"] for r in records if r.get("lag/median") is not None]
rss = {p["name"]: p["stats"].get("peak_rss_mib") for p in status["processes"]}
acc = status["accounting"]
print(f'elapsed={last["charts/elapsed_seconds"]:.2f}s steps={last["step"]} '
      f'return={last.get("charts/episodic_return", float("nan")):.1f} '
      f'sps={last["step"] / last["charts/elapsed_seconds"]:.0f} '
      f'lag_median={statistics.median(lags) if lags else "-"} '
      f'peak_rss_mib={rss} produced={acc["produced"]} consumed={acc["consumed"]} dropped={acc["dropped"]}')
PY
}

echo "== time to mean return >= 475 (default config), $seeds seeds"
for seed in $(seq 1 "$seeds"); do
    start=$(date +%s.%N)
    "$shoal" train --runs-dir "$runs/solve-$seed" --seed "$seed" >/dev/null 2>&1
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    echo "seed $seed: wall=${wall}s $(summarise "$runs/solve-$seed"/*/)"
done

echo "== throughput: default config, no target, $seconds s"
"$shoal" train --runs-dir "$runs/throughput" --set targetReturn=none --max-seconds "$seconds" \
    --max-env-steps 1000000000 >/dev/null 2>&1
summarise "$runs/throughput"/*/
rm -rf "$runs"
