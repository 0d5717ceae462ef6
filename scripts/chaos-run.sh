#!/usr/bin/env bash
# The benchmark-sized chaos run: CartPole-v1 training (release build) while `shoal chaos random` kills and stalls
# random actors every INTERVAL seconds and sometimes kills the learner, from the moment the processes are up, for
# CHAOS_SECONDS or until the run ends. The run stops at mean return >= 475 (TARGET=none: only at the step budget).
# Prints the faults, the outcome and the rollout accounting.
# The default config solves CartPole in about a second, before much chaos can land, so this run learns 20x slower
# (learning rate 1e-4; LEARNING_RATE changes it).
# Usage: [TARGET=none] [LEARNING_RATE=x] scripts/chaos-run.sh [CHAOS_SECONDS] [INTERVAL] [LEARNER_PROBABILITY] [SEED]
#        [MAX_ENV_STEPS]
set -euo pipefail
cd "$(dirname "$0")/.."
chaos_seconds=${1:-60}
interval=${2:-1}
learner_probability=${3:-0.1}
seed=${4:-1}
max_env_steps=${5:-20000000}
target=${TARGET:-475}
learning_rate=${LEARNING_RATE:-0.0001}
export OPENBLAS_NUM_THREADS=1
swift build -c release --product shoal >/dev/null 2>&1
shoal=.build/release/shoal
runs=$(mktemp -d)

"$shoal" train --runs-dir "$runs" --set targetReturn="$target" --max-env-steps "$max_env_steps" \
    --set learningRate="$learning_rate" \
    --set maxRestarts=100 --set checkpointSeconds=0.5 >"$runs/train.out" 2>&1 &
train=$!
until run=$(ls -d "$runs"/*/ 2>/dev/null) && [ -f "$run/status.json" ]; do sleep 0.05; done
"$shoal" chaos "$run" random --seconds "$chaos_seconds" --interval "$interval" \
    --learner-probability "$learner_probability" --seed "$seed" | tee "$runs/chaos.out" | tail -3
wait "$train" || true
tail -4 "$runs/train.out"
python3 - "$run" <<'PY'
import json, sys
run = sys.argv[1]
records = [json.loads(line) for line in open(f"{run}/metrics.jsonl")]
solved = next((r for r in records if (r.get("charts/episodic_return") or 0) >= 475), None)
last = records[-1]
print(f'steps={last["step"]} elapsed={last["charts/elapsed_seconds"]:.1f}s '
      f'sps={last["step"] / last["charts/elapsed_seconds"]:.0f} final_return={last.get("charts/episodic_return")}')
if solved:
    print(f'first mean return >= 475 at step {solved["step"]}, {solved["charts/elapsed_seconds"]:.1f}s')
else:
    print("never reached mean return 475")
status = json.load(open(f"{run}/status.json"))
for p in status["processes"]:
    print(f'{p["name"]}: restarts={p["restarts"]} incarnation={p["incarnation"]}')
acc = status["accounting"]
dropped = sum(acc["dropped"].values())
print(f'produced={acc["produced"]} consumed={acc["consumed"]} dropped={acc["dropped"]} in_flight={acc["inFlight"]} '
      f'duplicates_discarded={acc["duplicates"]} adds_up={acc["produced"] == acc["consumed"] + dropped + acc["inFlight"]}')
PY
[ -n "${KEEP:-}" ] && echo "kept $run" || rm -rf "$runs"
