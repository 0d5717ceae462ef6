#!/usr/bin/env bash
# Runs cluster/slurm/shoal.sbatch on a real Slurm: starts a private one-node cluster (munged, slurmctld, slurmd from
# Debian's slurmctld, slurmd, slurm-client and munge packages) in a temporary directory, submits a small training job
# with `sbatch --wait` and CURVE keys (the learner and 2 actors under the node's `shoal supervise`) and checks its run
# directory and that every role used the keys, then submits a second job and stops it early with `scancel
# --signal=TERM` as a user would (the step ends 130, the learner checkpoints). Tears everything down, even on failure
# or interruption: no daemons, jobs or files are left. Needs root; exits 77 with the reason when root or the
# Slurm/munge programs are missing, so a test can skip. Needs SHOAL or .build/debug/shoal. Exit 0 when all holds.
# About 15 s, much of it sbatch --wait polling.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
shoal=${SHOAL:-$root/.build/debug/shoal}
# The daemons are in /usr/sbin, which a non-login PATH may lack.
export PATH=$PATH:/usr/sbin:/sbin
skip() { echo "slurm-real: skipped: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd must be root to start jobs)"
for tool in munged slurmctld slurmd sbatch sinfo squeue scontrol scancel srun; do
    command -v "$tool" > /dev/null || skip "no $tool (apt-get install slurmctld slurmd slurm-client munge)"
done
[ -x "$shoal" ] || { echo "slurm-real: no shoal binary at $shoal (swift build --product shoal)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/shoal-slurm-real.XXXXXX")
# munged refuses a socket in a directory that not everyone may traverse.
chmod 755 "$work"
mkdir -p "$work/munge" "$work/state" "$work/spool" "$work/log" "$work/runs"
host=$(hostname -s)
# Below the ephemeral port range, apart from slurm-local.sh's: slurmctld, slurmd, rollouts, weights, heartbeats.
base_port=$((20000 + ($$ % 1000) * 8))
munged_pid='' slurmctld_pid='' slurmd_pid=''

# The daemons' logs and the jobs' output; a daemon's console only when its log is empty (it failed before opening it).
logs() {
    for file in "$work"/log/* "$work"/job-*.out; do
        [ -s "$file" ] || continue
        [[ $file == *.console && -s ${file%.console}.log ]] && continue
        echo "--- ${file#"$work"/}"
        tail -n 40 "$file"
    done
}
fail() { { echo "slurm-real: FAIL: $*"; logs; } >&2; exit 1; }

# Stops a daemon we started: SIGTERM, then SIGKILL after 10 s.
stop() {
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2> /dev/null || return 0
    for ((i = 0; i < 100; i++)); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
}

# Processes of this private cluster (daemons, slurmstepd, job scripts, shoal) carry its SLURM_CONF.
ours() {
    local env
    for env in /proc/[0-9]*/environ; do
        grep -qzxF "SLURM_CONF=$work/slurm.conf" "$env" 2> /dev/null && { env=${env#/proc/}; echo "${env%/environ}"; }
    done
    return 0
}

cleanup() {
    local status=$? leftover
    trap - EXIT
    if [ -n "$slurmctld_pid" ] && kill -0 "$slurmctld_pid" 2> /dev/null; then
        # Cancel what is left and wait for the steps to end: slurmd does not take its jobs with it when it stops.
        scancel --user=root 2> /dev/null || true
        for ((i = 0; i < 150; i++)); do [ -z "$(squeue -h 2> /dev/null)" ] && break; sleep 0.2; done
    fi
    # From here on our own commands must not carry the marker that ours() looks for.
    unset SLURM_CONF
    stop "$slurmd_pid"
    stop "$slurmctld_pid"
    stop "$munged_pid"
    leftover=$(ours | tr '\n' ' ')
    if [ -n "$leftover" ]; then
        # shellcheck disable=SC2086 # one PID a word
        kill -KILL $leftover 2> /dev/null || true
        echo "slurm-real: FAIL: processes left behind after teardown, killed: $leftover" >&2
        status=1
    fi
    rm -rf "$work"
    exit $status
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# --- A private cluster -----------------------------------------------------------------------------------------------
# Its own key, socket, pid and seed files: nothing in /etc/munge or /run/munge is used.
head -c 1024 /dev/urandom > "$work/munge/munge.key"
chmod 400 "$work/munge/munge.key"
munged --foreground --socket="$work/munge/socket" --key-file="$work/munge/munge.key" \
    --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" --log-file=/dev/null \
    > "$work/log/munged.log" 2>&1 &
munged_pid=$!
for ((i = 0; i < 50; i++)); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
[ -S "$work/munge/socket" ] || fail "munged did not create its socket within 5 s"

# The node as slurmd sees it (CPUs, sockets, cores, memory), so that slurmd does not drain it for a mismatch.
node_line=$(slurmd -C | head -1)
# proctrack/linuxproc and task/none: no cgroups needed; every path in the temporary directory; no accounting
# (slurmdbd), so finished jobs are looked at with scontrol while slurmctld keeps them (MinJobAge, 300 s).
cat > "$work/slurm.conf" <<EOF
ClusterName=shoaltest
SlurmctldHost=$host(127.0.0.1)
SlurmUser=root
SlurmctldPort=$base_port
SlurmdPort=$((base_port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
KillWait=5
SlurmctldDebug=info
SlurmdDebug=info
$node_line NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=shoal Nodes=ALL Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF=$work/slurm.conf
# In the foreground (-D) the daemons stay our children, whose PIDs we keep; they copy their logs to the console.
slurmctld -D > "$work/log/slurmctld.console" 2>&1 &
slurmctld_pid=$!
slurmd -D > "$work/log/slurmd.console" 2>&1 &
slurmd_pid=$!
state=''
for ((i = 0; i < 150; i++)); do
    state=$(sinfo -h -N -o %t 2> /dev/null || true)
    [ "$state" = idle ] && break
    sleep 0.2
done
[ "$state" = idle ] || fail "node $host is not idle after 30 s (sinfo: ${state:-no answer})"

# Submits shoal.sbatch on one node with the config $work/$1.yaml and sbatch options $2...; sbatch's stdout (the job id,
# --parsable) and stderr go to $work/sbatch-$1.{out,err}. The learner's node runs ACTORS_PER_NODE − 1 = 2 actors.
submit() {
    local config=$1
    shift
    (cd "$work" && SHOAL=$shoal SHOAL_CONFIG=$work/$config.yaml RUN_BASE=$work/runs ACTORS_PER_NODE=3 SHOAL_KEYS=$keys \
        ROLLOUTS_PORT=$((base_port + 2)) WEIGHTS_PORT=$((base_port + 3)) \
        timeout 120 sbatch --parsable --nodes=1 --output="$work/job-%j.out" "$@" "$root/cluster/slurm/shoal.sbatch") \
        > "$work/sbatch-$config.out" 2> "$work/sbatch-$config.err"
}
# A field of `scontrol show job` (JobState, ExitCode, ...).
job_field() { scontrol show job "$1" | grep -o " $2=[^ ]*" | head -1 | cut -d= -f2; }

# --- A small run that finishes ---------------------------------------------------------------------------------------
sed 's/^maxEnvSteps:.*/maxEnvSteps: 5000/' "$root/configs/cartpole.yaml" > "$work/small.yaml"
# With CURVE keys, as a cluster run should have.
keys=$work/keys
mkdir "$keys" && "$shoal" keygen learner --dir "$keys" > /dev/null && "$shoal" keygen actor --dir "$keys" > /dev/null
status=0
submit small --wait || status=$?
job=$(cut -d';' -f1 "$work/sbatch-small.out")
[ $status -eq 0 ] || fail "job ${job:-(not submitted)}: sbatch --wait exited $status $(cat "$work/sbatch-small.err")"
[[ $job =~ ^[0-9]+$ ]] || fail "sbatch printed no job id: $(cat "$work/sbatch-small.out")"
[ "$(job_field "$job" JobState)" = COMPLETED ] || fail "job $job is not COMPLETED: $(job_field "$job" JobState)"
[ "$(job_field "$job" ExitCode)" = 0:0 ] || fail "job $job ended with exit code $(job_field "$job" ExitCode)"
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
heartbeats=$(sed -n 's|^heartbeatEndpoint: "ipc://\(.*\)/supervisor.ipc"|\1|p' "$node0/plan.yaml")
[ -n "$heartbeats" ] && [ ! -e "$heartbeats" ] \
    || fail "the heartbeat socket is not node-local ipc, or its directory '$heartbeats' was left behind"

# --- A run stopped early: scancel --signal=TERM reaches every process of the step ------------------------------------
sed -e 's/^maxEnvSteps:.*/maxEnvSteps: null/' -e 's/^targetReturn:.*/targetReturn: null/' \
    -e 's/^maxSeconds:.*/maxSeconds: 300/' "$root/configs/cartpole.yaml" > "$work/long.yaml"
# Without --wait, watching the job with scontrol instead: sbatch --wait polls at intervals growing from 2 s to 10 s,
# seconds we would wait for nothing here.
keys=""  # and without, as a run on a trusted network may be
submit long || fail "sbatch failed: $(cat "$work/sbatch-long.err")"
stopped=$(cut -d';' -f1 "$work/sbatch-long.out")
for ((i = 0; i < 300; i++)); do grep -qs 'learner is up' "$work/job-$stopped.out" && break; sleep 0.2; done
grep -qs 'learner is up' "$work/job-$stopped.out" || fail "job $stopped: the learner did not come up within 60 s"
scancel --signal=TERM "$stopped"
for ((i = 0; i < 300; i++)); do
    state=$(job_field "$stopped" JobState)
    [[ $state =~ ^(PENDING|CONFIGURING|RUNNING|COMPLETING)$ ]] || break
    sleep 0.2
done
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
