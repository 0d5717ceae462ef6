#!/usr/bin/env bash
# Benchmarks of environments served over the environment protocol (docs/benchmarks.md, "Environments from anywhere").
#   scripts/bench-envs.sh solve [SEEDS] [--set k=v ...]   gymnasium:CartPole-v1 through Python servers until mean
#                                                          return >= 475: whole-command wall time and steps/s per seed
#   scripts/bench-envs.sh acrobot [SECONDS] [--set ...]    gymnasium:Acrobot-v1 and the built-in Acrobot-v1, same config
#   scripts/bench-envs.sh run ENV SECONDS [--set ...]      any env for a fixed time: steps/s and the return reached
#   scripts/bench-envs.sh protocol                         served vs in-process vector env (python/benchmarks), stepped
#                                                          by the C bench client and by the Python client
#   scripts/bench-envs.sh c                                the C example server through the protocol
# PYTHON (default python3) runs the environment servers and must have shoal-env (and the environment's packages).
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
python=${PYTHON:-python3}
swift build -c release --product shoal >/dev/null
shoal=.build/release/shoal
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT

summarise() {  # run directory -> one line of figures from its metrics and status
    python3 - "$1" <<'PY'
import json, sys
run = sys.argv[1]
records = [json.loads(line) for line in open(f"{run}/metrics.jsonl")]
last = records[-1]
returns = [r["charts/episodic_return"] for r in records if r.get("charts/episodic_return") is not None]
acc = json.load(open(f"{run}/status.json"))["accounting"]
print(f'elapsed={last["charts/elapsed_seconds"]:.2f}s steps={last["step"]} '
      f'sps={last["step"] / last["charts/elapsed_seconds"]:.0f} return={returns[-1] if returns else float("nan"):.1f} '
      f'best_return={max(returns) if returns else float("nan"):.1f} produced={acc["produced"]} '
      f'consumed={acc["consumed"]} dropped={acc["dropped"]}')
PY
}

train() {  # NAME ARGS... -> runs shoal train into $runs/NAME, prints wall time and the run's figures
    local name=$1
    shift
    local start wall
    start=$(date +%s.%N)
    "$shoal" train --runs-dir "$runs/$name" --set "pythonExecutable=$python" "$@" >/dev/null 2>&1 || true
    wall=$(echo "$(date +%s.%N) - $start" | bc)
    echo "$name: wall=${wall}s $(summarise "$runs/$name"/*/)"
}

command=${1:-solve}
shift || true
case "$command" in
solve)
    seeds=${1:-5}
    shift || true
    for seed in $(seq 1 "$seeds"); do
        train "seed-$seed" --set env=gymnasium:CartPole-v1 --seed "$seed" --max-seconds 300 "$@"
    done
    ;;
acrobot)
    seconds=${1:-30}
    shift || true
    for env in gymnasium:Acrobot-v1 Acrobot-v1; do
        train "${env//:/-}" --set "env=$env" --set targetReturn=none --max-seconds "$seconds" \
            --max-env-steps 1000000000 "$@"
    done
    ;;
run)
    env=$1 seconds=$2
    shift 2
    train "${env//[:\/]/-}" --set "env=$env" --set targetReturn=none --max-seconds "$seconds" \
        --max-env-steps 1000000000 "$@"
    ;;
protocol)
    make -s -C c bench  # the C client that steps the server, as fast as Shoal's actor
    for client in c python; do
        "$python" python/benchmarks/protocol_cost.py --num-envs 16 64 256 --client "$client"
    done
    ;;
c)
    make -s -C c bench
    for m in 16 64 256; do
        c/build/shoal-env-cartpole serve "ipc://$runs/c-$m.sock" --num-envs "$m" 2>/dev/null &
        server=$!
        echo "M=$m: $(c/build/shoal-env-bench "ipc://$runs/c-$m.sock" 5)"
        kill $server
        wait $server || true
    done
    ;;
*)
    echo "unknown benchmark '$command' (solve, acrobot, run, protocol, c)" >&2
    exit 2
    ;;
esac
