#!/usr/bin/env bash
# Runs cluster/slurm/shoal.sbatch on a real Slurm: starts a private one-node cluster (private-slurm.sh: munged,
# slurmctld, slurmd in a temporary directory), submits a small training job with CURVE keys (the learner and 2 actors
# under the node's `shoal supervise`) and checks its run directory and that every role used the keys, then submits a
# second job and stops it early with `scancel --signal=TERM` as a user would (the step ends 130, the learner
# checkpoints). Tears everything down, even on failure or interruption: no daemons, jobs or files are left. Needs
# root; exits 77 with the reason when root or the Slurm/munge programs are missing, so a test can skip. Needs SHOAL or
# .build/debug/shoal. Exit 0 when all holds.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=private-slurm.sh
. "$(dirname "$0")/private-slurm.sh" slurm-real

# --- A private cluster: this host, its slurmctld on 127.0.0.1 ---------------------------------------------------------
start_munged
write_slurm_conf 127.0.0.1 "$host 127.0.0.1"
start_slurmctld
start_slurmd "$host"
wait_for_idle_nodes 1

# --- A small run that finishes ---------------------------------------------------------------------------------------
# An actor that starts after the learner has already finished (likely on a busy machine: the run is short) leaves
# after learnerGoneSeconds; short here, so that its supervisor still ends within the test's wait.
sed -e 's/^maxEnvSteps:.*/maxEnvSteps: 5000/' -e 's/^learnerGoneSeconds:.*/learnerGoneSeconds: 10/' \
    "$root/configs/cartpole.yaml" > "$work/small.yaml"
# With CURVE keys, as a cluster run should have. The learner's node runs ACTORS_PER_NODE − 1 = 2 actors.
keys=$(make_keys)
job=$(SHOAL_KEYS=$keys ACTORS_PER_NODE=3 submit small --nodes=1)
expect_job_completed "$job"
grep -q "node 0 ($host): supervisor exited 0" "$work/job-$job.out" || fail "node 0's supervisor did not exit 0"

run="$work/runs/shoal-slurm-$job"
node0="$run/nodes/0-$host"
cmp -s "$work/small.yaml" "$run/config.yaml" || fail "$run/config.yaml is not a copy of the config"
nodes=$(cd "$run/nodes" && echo *)
[ "$nodes" = "0-$host" ] || fail "node directories are '$nodes', not 0-$host"
[ "$(grep -c 'role: learner' "$node0/plan.yaml")" -eq 1 ] || fail "node 0 should run the learner"
[ "$(grep -c 'role: actor' "$node0/plan.yaml")" -eq 2 ] || fail "node 0 should run 2 actors"
ids=$(sed -n 's/^    id: //p' "$node0/plan.yaml" | tr '\n' ' ')
[ "$ids" = "0 1 " ] || fail "actor ids are '$ids', not 0 1"
grep -q "tcp://$host:$((base_port + 2))" "$node0/plan.yaml" || fail "the actors do not dial the learner's node"
grep -q '"state" : "finished"' "$node0/status.json" || fail "the run did not finish: $(cat "$node0/status.json")"
grep -q '"outcome" : "learner completed the run"' "$node0/status.json" || fail "the learner did not complete the run"
ls "$node0"/checkpoints/ckpt-*.shoal > /dev/null 2>&1 || fail "the learner left no checkpoint"
[ -s "$node0/metrics.jsonl" ] || fail "the learner wrote no metrics.jsonl"
grep -q 'security=curve, 1 actor keys allowed' "$node0/logs/learner.log" || fail "the learner did not use CURVE keys"
[ "$(grep -l 'security=curve' "$node0"/logs/actor-*.log | wc -l)" -eq 2 ] || fail "the actors did not use CURVE keys"
heartbeats=$(sed -n 's|^heartbeatEndpoint: "ipc://\(.*\)/supervisor.sock"|\1|p' "$node0/plan.yaml")
[ -n "$heartbeats" ] && [ ! -e "$heartbeats" ] \
    || fail "the heartbeat socket is not node-local ipc, or its directory '$heartbeats' was left behind"

# --- A run stopped early: scancel --signal=TERM reaches every process of the step ------------------------------------
sed -e 's/^maxEnvSteps:.*/maxEnvSteps: null/' -e 's/^targetReturn:.*/targetReturn: null/' \
    -e 's/^maxSeconds:.*/maxSeconds: 300/' "$root/configs/cartpole.yaml" > "$work/long.yaml"
# Without keys, as a run on a trusted network may be.
stopped=$(ACTORS_PER_NODE=3 submit long --nodes=1)
for ((i = 0; i < 300; i++)); do grep -qs 'learner is up' "$work/job-$stopped.out" && break; sleep 0.2; done
grep -qs 'learner is up' "$work/job-$stopped.out" || fail "job $stopped: the learner did not come up within 60 s"
on_controller scancel --signal=TERM "$stopped"
state=$(wait_for_job_end "$stopped" 60)
# The step ends as its supervisor did, 130 (stopped), which the batch script passes on (set -e, srun's status).
[ "$state" = FAILED ] || fail "job $stopped is $state after scancel --signal=TERM, not FAILED (it ended by itself?)"
exit_code=$(job_field "$stopped" ExitCode)
[ "$exit_code" = 130:0 ] || fail "job $stopped ended with exit code $exit_code, not 130"
grep -q "node 0 ($host): supervisor exited 130" "$work/job-$stopped.out" || fail "node 0's supervisor did not exit 130"
node0="$work/runs/shoal-slurm-$stopped/nodes/0-$host"
grep -q '"outcome" : "received SIGTERM"' "$node0/status.json" || fail "the stopped run's outcome is not SIGTERM"
ls "$node0"/checkpoints/ckpt-*.shoal > /dev/null 2>&1 || fail "the stopped learner left no checkpoint"

echo "slurm-real: all checks passed (Slurm $(sinfo -V | cut -d' ' -f2), node $host: job $job ran the learner" \
    "+ 2 actors to the end, job $stopped stopped by scancel --signal=TERM with a checkpoint)"
