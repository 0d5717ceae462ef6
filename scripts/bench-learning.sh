#!/usr/bin/env bash
# Learning benchmark (issue 11): each built-in environment with its preset (`shoal train --set env=ENV`, nothing else),
# SEEDS seeds, stopping at the preset's targetReturn, maxEnvSteps or after MAX_SECONDS. Prints one line per run and,
# per environment, the median whole-command wall time, env steps and final mean return of the last 100 episodes, and
# how many runs reached the target.
#   scripts/bench-learning.sh [SEEDS] [ENV...]          default: 5 seeds of CartPole-v1 Acrobot-v1 MountainCar-v0 Pendulum-v1
# MAX_SECONDS (default 60) bounds each run; extra `--set` overrides go in SHOAL_SET (e.g. SHOAL_SET="algorithm=appo").
# SHOAL_CONFIG names a config file to use instead of the presets: an empty file gives the generic defaults that a
# user's own environment gets (then give the target: SHOAL_SET="targetReturn=-200").
set -euo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1
seeds=${1:-5}
shift || true
envs=("$@")
[ ${#envs[@]} -gt 0 ] || envs=(CartPole-v1 Acrobot-v1 MountainCar-v0 Pendulum-v1)
sets=()
for pair in ${SHOAL_SET:-}; do sets+=(--set "$pair"); done
[ -z "${SHOAL_CONFIG:-}" ] || sets=("$SHOAL_CONFIG" "${sets[@]+"${sets[@]}"}")
swift build -c release --product shoal > /dev/null
runs=$(mktemp -d)
trap 'rm -rf "$runs"' EXIT
for env in "${envs[@]}"; do
    for seed in $(seq 1 "$seeds"); do
        start=$(date +%s.%N)
        .build/release/shoal train --runs-dir "$runs/$env-$seed" --seed "$seed" --max-seconds "${MAX_SECONDS:-60}" \
            --set "env=$env" "${sets[@]+"${sets[@]}"}" > "$runs/$env-$seed.log" 2>&1 || true
        echo "$env $seed $(echo "$(date +%s.%N) - $start" | bc) $(ls -d "$runs/$env-$seed"/*/)"
    done
done | python3 /dev/fd/3 3<<'PY'
import json, statistics, sys
by_env = {}
for line in sys.stdin:
    env, seed, wall, run = line.split()
    records = [json.loads(r) for r in open(run + "metrics.jsonl")]
    config = dict(l.split(": ", 1) for l in open(run + "config.yaml") if ": " in l and not l.startswith("#"))
    target = None if config["targetReturn"].strip() == "null" else float(config["targetReturn"])
    returns = [r["charts/episodic_return"] for r in records if r.get("charts/episodic_return") is not None]
    final = returns[-1] if returns else float("nan")
    # The learner's word: the last 100 episodes' mean reached the target when it stopped (episodes of rollouts
    # received while it shut down may move the final metrics record a little).
    reached = "targetReached" in open(run + "logs/learner.log").read()
    note = f" (target {target:g} reached)" if reached else ""
    print(f"{env} seed {seed}: wall {float(wall):.1f} s, {records[-1]['step']} env steps, "
          f"final mean return {final:.1f}{note}", flush=True)
    by_env.setdefault(env, []).append((float(wall), records[-1]["step"], final, reached))
for env, runs in by_env.items():
    print(f"== {env}: median wall {statistics.median(r[0] for r in runs):.1f} s, median env steps "
          f"{statistics.median(r[1] for r in runs):.0f}, median final return "
          f"{statistics.median(r[2] for r in runs):.1f}, target reached {sum(r[3] for r in runs)}/{len(runs)}")
PY
