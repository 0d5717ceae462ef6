#!/usr/bin/env bash
# Runs cluster/slurm/shoal.sbatch as a batch job would, but on this machine: fake scontrol and srun (fake-slurm/)
# stand in for Slurm, two "nodes" run at once, and the real `shoal` binary trains until the config's small
# maxEnvSteps, on the C example environment (c/build/shoal-env-cartpole) served beside each actor. Checks each node's
# plan, that both supervisors finish and the learner completes the run. This tests
# the script's logic, not Slurm itself (srun's CPU binding, signals, shared storage). Needs SHOAL or
# .build/debug/shoal. Exit 0 when all holds.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shoal=${SHOAL:-$root/.build/debug/shoal}
[ -x "$shoal" ] || { echo "slurm-local: no shoal binary at $shoal (swift build --product shoal)" >&2; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/shoal-slurm-local.XXXXXX")
trap 'rm -rf "$work"' EXIT
fail() { echo "slurm-local: FAIL: $*" >&2; exit 1; }
base_port=$((30000 + ($$ % 2000) * 4))
# An actor that starts after the learner has already finished (likely on a busy machine: the run is short) leaves
# after learnerGoneSeconds; short here, so that its supervisor still ends within the test's wait.
[ -x "$root/c/build/shoal-env-cartpole" ] || fail "no $root/c/build/shoal-env-cartpole (make -C c)"
sed -e 's/^maxEnvSteps:.*/maxEnvSteps: 20000/' -e 's/^learnerGoneSeconds:.*/learnerGoneSeconds: 10/' \
    -e "s|^env:.*|env: \"exec:$root/c/build/shoal-env-cartpole\"|" -e 's/^envServersPerActor:.*/envServersPerActor: 1/' \
    -e 's/^envsPerServer:.*/envsPerServer: 32/' "$root/configs/cartpole.yaml" > "$work/small.yaml"

(cd "$work" && PATH="$root/cluster/test/fake-slurm:$PATH" SLURM_JOB_ID=4242 SLURM_JOB_NODELIST=127.0.0.1,node-b \
    SLURM_JOB_NUM_NODES=2 SLURM_CPUS_ON_NODE=2 SLURM_SUBMIT_DIR="$work" SHOAL="$shoal" SHOAL_CONFIG=small.yaml \
    ROLLOUTS_PORT=$base_port WEIGHTS_PORT=$((base_port + 1)) \
    timeout 120 bash "$root/cluster/slurm/shoal.sbatch") > "$work/job.out" 2>&1 \
    || fail "the job failed:
$(tail -n 30 "$work/job.out")"

run="$work/runs/shoal-slurm-4242"
[ -s "$run/config.yaml" ] || fail "no config.yaml copied into the run directory"
node0=$(echo "$run"/nodes/0-*) node1=$(echo "$run"/nodes/1-*)
# Node 0: the learner and CPUs − 1 = 1 actor (id 0); node 1: 2 actors (ids 1, 2), dialling the first node.
grep -q 'role: learner' "$node0/plan.yaml" || fail "no learner on node 0"
[ "$(grep -c 'role: actor' "$node0/plan.yaml")" -eq 1 ] || fail "node 0 should run 1 actor"
grep -q 'role: learner' "$node1/plan.yaml" && fail "a learner on node 1"
[ "$(grep -c 'role: actor' "$node1/plan.yaml")" -eq 2 ] || fail "node 1 should run 2 actors"
ids=$(grep -A1 'role: actor' "$node0/plan.yaml" "$node1/plan.yaml" | sed -n 's/.*    id: //p' | tr '\n' ' ')
[ "$ids" = "0 1 2 " ] || fail "actor ids are '$ids', not 0 1 2"
servers=$(sed -n 's/^  - name: "\(env-[0-9]*-[0-9]*\)"/\1/p' "$node0/plan.yaml" "$node1/plan.yaml" | tr '\n' ' ')
[ "$servers" = "env-0-0 env-1-0 env-2-0 " ] || fail "environment servers are '$servers', not one beside each actor"
grep -q "tcp://127.0.0.1:$base_port" "$node1/plan.yaml" || fail "node 1's actors do not dial the first node"
for node in "$node0" "$node1"; do
    grep -q '"state" : "finished"' "$node/status.json" || fail "$node did not finish"
done
grep -q '"outcome" : "learner completed the run"' "$node0/status.json" || fail "the learner did not complete the run"
ls "$node0"/checkpoints/ckpt-*.shoal > /dev/null 2>&1 || fail "the learner left no checkpoint"
grep -q 'node 1 (.*): supervisor exited 0' "$work/job.out" || fail "node 1's supervisor did not exit 0"
echo "slurm-local: all checks passed (2 fake nodes: learner + 1 actor, 2 actors, a C environment server beside" \
    "each actor; run finished)"
