#!/usr/bin/env bash
# Throughput of a run spread over three test hosts (network namespaces on a bridge, real TCP; needs root): the
# learner on one, an actor on each of the two others, no target, for SECONDS. Usage: scripts/bench-hosts.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-15}
export OPENBLAS_NUM_THREADS=1
swift build -c release --product shoal >/dev/null 2>&1
shoal=$(pwd)/.build/release/shoal
tag=sb$$
dir=$(mktemp -d)
cleanup() { for n in "${tag}h0" "${tag}h1" "${tag}h2" "${tag}sw"; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT
# shellcheck source=scripts/netns-bridge.sh
. scripts/netns-bridge.sh
make_bridge "${tag}sw"
for i in 0 1 2; do join_bridge "${tag}sw" "${tag}h$i" "10.78.0.$((i + 1))" "${tag}p$i"; done
ip netns exec "${tag}h0" "$shoal" learner --run-id bench --rollouts tcp://*:5555 --weights tcp://*:5556 \
    --checkpoints "$dir/ckpt" --metrics "$dir/metrics.jsonl" --set targetReturn=none --set maxSeconds="$seconds" \
    >"$dir/learner.log" 2>&1 &
learner=$!
for i in 1 2; do
    ip netns exec "${tag}h$i" "$shoal" actor --run-id bench --id "$i" --learner tcp://10.78.0.1:5555 \
        --weights tcp://10.78.0.1:5556 >"$dir/actor-$i.log" 2>&1 &
done
wait "$learner"
sleep 1
python3 - "$dir/metrics.jsonl" <<'PY'
import json, statistics, sys
records = [json.loads(line) for line in open(sys.argv[1])]
last = records[-1]
lags = [r["lag/median"] for r in records if r.get("lag/median") is not None]
print(f'three hosts over TCP: {last["step"]} env steps in {last["charts/elapsed_seconds"]:.1f} s = '
      f'{last["step"] / last["charts/elapsed_seconds"]:.0f} env steps/s, lag median {statistics.median(lags)}')
PY
rm -rf "$dir"
