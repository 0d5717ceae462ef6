# A private Slurm for the tests that run cluster/slurm/shoal.sbatch on real Slurm (slurm-real.sh, slurm-nodes.sh),
# from Debian's slurmctld, slurmd, slurm-client and munge packages: munged with its own key and socket, a slurm.conf
# with every path in temporary directories, the daemons in the foreground as our children, and a teardown that leaves
# no jobs, daemons or files, even on failure or interruption. Sourced, with the test's name (for its messages):
#
#   . "$(dirname "$0")/private-slurm.sh" slurm-real
#
# Exits 77 with the reason when not root or the Slurm/munge programs are missing, so a test can skip. Then sets
# $root, $shoal (SHOAL or .build/debug/shoal), $work (the temporary directory), $host, $base_port (8 ports from
# there are ours) and installs the teardown. The sourcing script may set `controller_launcher` (the words that run a
# program where slurmctld is, e.g. in its network namespace) and add functions to `teardown_steps`, run once every
# process of the cluster is gone.
# shellcheck shell=bash

test_name=$1
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
shoal=${SHOAL:-$root/.build/debug/shoal}
# The daemons are in /usr/sbin, which a non-login PATH may lack.
export PATH=$PATH:/usr/sbin:/sbin
skip() { echo "$test_name: skipped: $*" >&2; exit 77; }
[ "$(id -u)" -eq 0 ] || skip "needs root (slurmd must be root to start jobs)"
for tool in munged slurmctld slurmd sbatch sinfo squeue scontrol scancel srun; do
    command -v "$tool" > /dev/null || skip "no $tool (apt-get install slurmctld slurmd slurm-client munge)"
done
[ -x "$shoal" ] || { echo "$test_name: no shoal binary at $shoal (swift build --product shoal)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/shoal-$test_name.XXXXXX")
# munged refuses a socket in a directory that not everyone may traverse.
chmod 755 "$work"
mkdir -p "$work/munge" "$work/state" "$work/log" "$work/runs"
# slurmd's spool: outside $work, whose path can be long (a test harness's TMPDIR), because slurmstepd's sockets are
# <spool>/<node>/<node>_<job>.<step> (the batch step is 4294967291) and a socket's path has at most 107 bytes.
spool=$(mktemp -d /tmp/shoal-spool.XXXXXX)
host=$(hostname -s)
# Below the ephemeral port range, apart from slurm-local.sh's: slurmctld, slurmd, rollouts, weights, heartbeats.
base_port=$((20000 + ($$ % 1000) * 8))
munged_pid='' slurmctld_pid='' slurmd_pids=()
controller_launcher=()
teardown_steps=()

# Runs a program where slurmctld is reachable: Slurm's clients (sbatch, squeue, scontrol, ...) and slurmctld itself.
on_controller() { "${controller_launcher[@]}" "$@"; }

# The daemons' logs and the jobs' output; a daemon's console only when its log is empty (it failed before opening it).
logs() {
    local file
    for file in "$work"/log/* "$work"/job-*.out; do
        [ -s "$file" ] || continue
        [[ $file == *.console && -s ${file%.console}.log ]] && continue
        echo "--- ${file#"$work"/}"
        tail -n 40 "$file"
    done
}
fail() { { echo "$test_name: FAIL: $*"; logs; } >&2; exit 1; }

# Stops a daemon we started: SIGTERM, then SIGKILL after 10 s.
stop() {
    local pid=$1 i
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
    local status=$? leftover pid step i
    trap - EXIT
    if [ -n "$slurmctld_pid" ] && kill -0 "$slurmctld_pid" 2> /dev/null; then
        # Cancel what is left and wait for the steps to end: slurmd does not take its jobs with it when it stops.
        on_controller scancel --user=root 2> /dev/null || true
        for ((i = 0; i < 150; i++)); do [ -z "$(on_controller squeue -h 2> /dev/null)" ] && break; sleep 0.2; done
    fi
    # From here on our own commands must not carry the marker that ours() looks for.
    unset SLURM_CONF
    for pid in "${slurmd_pids[@]}"; do stop "$pid"; done
    stop "$slurmctld_pid"
    stop "$munged_pid"
    leftover=$(ours | tr '\n' ' ')
    if [ -n "$leftover" ]; then
        # shellcheck disable=SC2086 # one PID a word
        kill -KILL $leftover 2> /dev/null || true
        echo "$test_name: FAIL: processes left behind after teardown, killed: $leftover" >&2
        status=1
    fi
    for step in "${teardown_steps[@]}"; do "$step" || status=1; done
    rm -rf "$work" "$spool"
    exit $status
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

# Starts munged with its own key, socket, pid and seed files: nothing in /etc/munge or /run/munge is used. Its
# socket is a file, so it serves every network namespace too.
start_munged() {
    local i
    head -c 1024 /dev/urandom > "$work/munge/munge.key"
    chmod 400 "$work/munge/munge.key"
    munged --foreground --socket="$work/munge/socket" --key-file="$work/munge/munge.key" \
        --pid-file="$work/munge/munged.pid" --seed-file="$work/munge/munged.seed" --log-file=/dev/null \
        > "$work/log/munged.log" 2>&1 &
    munged_pid=$!
    for ((i = 0; i < 50; i++)); do [ -S "$work/munge/socket" ] && break; sleep 0.1; done
    [ -S "$work/munge/socket" ] || fail "munged did not create its socket within 5 s"
}

# The hardware part of this machine's node line as slurmd sees it (CPUs, sockets, cores, memory; no NodeName), so that
# slurmd does not drain a node for a mismatch.
node_hardware() { slurmd -C | head -1 | sed 's/^NodeName=[^ ]* //'; }

# Writes $work/slurm.conf for slurmctld at address $1 (on this host's name, as slurmctld wants) and the nodes
# "NAME ADDRESS" given as the other arguments, and exports SLURM_CONF. proctrack/linuxproc and task/none: no cgroups
# needed; every path in $work or $spool, each slurmd's by its node name (%n); no accounting (slurmdbd), so
# finished jobs are looked at with scontrol while slurmctld keeps them (MinJobAge, 300 s).
write_slurm_conf() {
    local controller_address=$1 node hardware
    shift
    hardware=$(node_hardware)
    cat > "$work/slurm.conf" <<EOF
ClusterName=shoaltest
SlurmctldHost=$host($controller_address)
SlurmUser=root
SlurmctldPort=$base_port
SlurmdPort=$((base_port + 1))
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$work/munge/socket
StateSaveLocation=$work/state
SlurmdSpoolDir=$spool/%n
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd-%n.pid
SlurmctldLogFile=$work/log/slurmctld.log
SlurmdLogFile=$work/log/slurmd-%n.log
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
EOF
    for node in "$@"; do
        echo "NodeName=${node% *} NodeAddr=${node#* } $hardware State=UNKNOWN" >> "$work/slurm.conf"
    done
    echo "PartitionName=shoal Nodes=ALL Default=YES MaxTime=INFINITE State=UP" >> "$work/slurm.conf"
    export SLURM_CONF=$work/slurm.conf
}

# In the foreground (-D) the daemons stay our children, whose PIDs we keep; they copy their logs to the console.
start_slurmctld() {
    # Not through on_controller: $! would be the function's subshell, not slurmctld.
    "${controller_launcher[@]}" slurmctld -D > "$work/log/slurmctld.console" 2>&1 &
    slurmctld_pid=$!
}
# Starts the slurmd of node $1, run by the words that follow (e.g. `ip netns exec NS`; none: here).
start_slurmd() {
    local node=$1
    shift
    mkdir -p "$spool/$node"
    "$@" slurmd -D -N "$node" > "$work/log/slurmd-$node.console" 2>&1 &
    slurmd_pids+=($!)
}

# Waits up to 30 s for the $1 nodes to be idle (registered with slurmctld).
wait_for_idle_nodes() {
    local count=$1 states='' expected i
    expected=$(printf 'idle %.0s' $(seq "$count"))
    for ((i = 0; i < 150; i++)); do
        states=$(on_controller sinfo -h -N -o %t 2> /dev/null | tr '\n' ' ' || true)
        [ "$states" = "$expected" ] && return 0
        sleep 0.2
    done
    fail "the nodes are not all idle after 30 s (sinfo: ${states:-no answer})"
}

# Submits shoal.sbatch with the config $work/$1.yaml and sbatch options $2...; prints the job id. The settings of the
# script that the caller has in its environment (ACTORS_PER_NODE, SHOAL_KEYS) pass on; the rest are set here.
submit() {
    local config=$1 job
    shift
    (cd "$work" && SHOAL=$shoal SHOAL_CONFIG=$work/$config.yaml RUN_BASE=$work/runs \
        ROLLOUTS_PORT=$((base_port + 2)) WEIGHTS_PORT=$((base_port + 3)) \
        on_controller timeout 60 sbatch --parsable --output="$work/job-%j.out" "$@" \
        "$root/cluster/slurm/shoal.sbatch") > "$work/sbatch-$config.out" 2> "$work/sbatch-$config.err" \
        || fail "sbatch failed: $(cat "$work/sbatch-$config.err")"
    job=$(cut -d';' -f1 "$work/sbatch-$config.out")
    [[ $job =~ ^[0-9]+$ ]] || fail "sbatch printed no job id: $(cat "$work/sbatch-$config.out")"
    echo "$job"
}

# A field of `scontrol show job` (JobState, ExitCode, ...).
job_field() { on_controller scontrol show job "$1" | grep -o " $2=[^ ]*" | head -1 | cut -d= -f2; }

# Waits up to $2 seconds for job $1 to end and prints its final JobState. Watching with scontrol rather than
# `sbatch --wait`, which polls at intervals growing from 2 s to 10 s, seconds we would wait for nothing here. A job
# requeued because its launch failed would wait for nothing too: it ends the wait at once.
wait_for_job_end() {
    local job=$1 seconds=$2 state='' i
    for ((i = 0; i < seconds * 5; i++)); do
        state=$(job_field "$job" JobState)
        [[ $state =~ ^(PENDING|CONFIGURING|RUNNING|COMPLETING)$ ]] || break
        [ "$(job_field "$job" Restarts)" = 0 ] || { state="$state (requeued: its launch failed)"; break; }
        sleep 0.2
    done
    echo "$state"
}

# Waits for job $1 to end (2 minutes at most) and fails unless it COMPLETED with exit code 0:0.
expect_job_completed() {
    local job=$1 state
    state=$(wait_for_job_end "$job" 120)
    [ "$state" = COMPLETED ] || fail "job $job is not COMPLETED: $state"
    [ "$(job_field "$job" ExitCode)" = 0:0 ] || fail "job $job ended with exit code $(job_field "$job" ExitCode)"
}

# Makes $work/keys with a learner and an actor key pair (shoal keygen) and prints the directory.
make_keys() {
    local role
    mkdir "$work/keys"
    for role in learner actor; do
        "$shoal" keygen "$role" --dir "$work/keys" > /dev/null || fail "shoal keygen $role failed"
    done
    echo "$work/keys"
}
