#!/usr/bin/env bash
# Runs cluster/launch.sh end to end on this machine: ssh is replaced by a local shim (ssh-local.sh), the two "hosts"
# are 127.0.0.1 (learner and one actor) and localhost (one actor), and the real `shoal` binary does the work.
#
# 1. A run of a served environment (the C example, c/build/shoal-env-cartpole) that is stopped: start, wait until
#    every process (learner, actors, an environment server beside each actor) sends heartbeats and the policy
#    learns, status, stop, fetch logs; the supervisors exit 130 (interrupted), the learner wrote a final checkpoint
#    and the socket directories are gone.
# 2. A run with CURVE keys (--keys) that finishes by itself (maxEnvSteps): both supervisors exit 0 with the run
#    finished; logs fetched; each host got only the key files its roles need, and its roles used them.
# Also syntax-checks the Slurm script. Needs a built binary: SHOAL, else .build/debug/shoal. Exit 0 when all holds.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
export SHOAL=${SHOAL:-$root/.build/debug/shoal}
[ -x "$SHOAL" ] || { echo "launch-local: no shoal binary at $SHOAL (swift build --product shoal)" >&2; exit 1; }
export SSH="$root/cluster/test/ssh-local.sh"
export OPENBLAS_NUM_THREADS=1
work=$(mktemp -d "${TMPDIR:-/tmp}/shoal-launch-local.XXXXXX")
export SHOAL_CLUSTER_STATE="$work/state"
launch="$root/cluster/launch.sh"
# Ports that concurrent runs of this test are unlikely to share.
base_port=$((20000 + ($$ % 2000) * 4))

cleanup() {
    local run
    for run in stopped finished; do
        [ -r "$SHOAL_CLUSTER_STATE/$run/hosts" ] && "$launch" stop --run-id "$run" --timeout 10 > /dev/null 2>&1
    done
    rm -rf "$work"
}
trap cleanup EXIT
trap "exit 143" TERM INT

fail() { echo "launch-local: FAIL: $*" >&2; exit 1; }
# The end of each log in the host directories given (supervisor console, status, every process's log).
logs_of() {
    local dir file
    for dir in "$@"; do
        for file in "$dir"/supervisor.out "$dir"/status.json "$dir"/logs/*.log; do
            [ -s "$file" ] && { echo "--- $file"; tail -n 20 "$file"; }
        done
    done
    return 0
}
check() { echo "launch-local: ok: $*"; }

printf '127.0.0.1 actors=1   # learner host, with one actor\nlocalhost actors=1\n' > "$work/hosts"
# The stopped run's directories are deep enough that no socket could live there (ipc paths are short).
deep="$work/remote/a-deliberately-long-directory-name-to-exercise-the-socket-directory-in-tmp"
env_server="$root/c/build/shoal-env-cartpole"
[ -x "$env_server" ] || { echo "launch-local: no $env_server (make -C c)" >&2; exit 1; }
host0="$deep/stopped/0-127.0.0.1"
host1="$deep/stopped/1-localhost"

bash -n "$root/cluster/slurm/shoal.sbatch" || fail "cluster/slurm/shoal.sbatch has a syntax error"
check "shoal.sbatch parses (bash -n)"

# --- 1. start, status, stop, logs ---
"$launch" start --hosts "$work/hosts" --config "$root/configs/cartpole.yaml" --run-id stopped \
    --remote-dir "$deep" --rollouts-port "$base_port" --weights-port $((base_port + 1)) \
    --set targetReturn=null --set maxEnvSteps=null --set maxSeconds=300 \
    --set "env=exec:$env_server" --set envServersPerActor=1 --set envsPerServer=32
[ "$(cat "$SHOAL_CLUSTER_STATE/latest")" = stopped ] || fail "launch.sh start did not record the run id"
check "started; run id recorded"

deadline=$((SECONDS + 60))
while true; do
    status=$("$launch" status 2>&1) || true
    running=$(grep -cE '^(learner|actor-[01]|env-[01]-0) .* running ' <<< "$status" || true)
    [ "$running" -eq 5 ] && grep -q 'policy_version=[1-9]' <<< "$status" && break
    [ $SECONDS -lt $deadline ] || fail "learner, 2 actors and their servers not all running and training after 60 s:
$status
$(tail -n 20 "$host0/supervisor.out" "$host0"/logs/*.log 2>/dev/null)"
    sleep 0.1
done
grep -q -- '--env-servers ipc:///tmp/shoal-sockets\.[A-Za-z0-9]*/env-1-0.sock' "$host1/logs/actor-1.log" 2>/dev/null \
    || grep -q '"--env-servers", "ipc:///tmp/shoal-sockets\.[A-Za-z0-9]*/env-1-0.sock"' "$host1/plan.yaml" \
    || fail "actor-1 does not step the server beside it:
$(cat "$host1/plan.yaml")"
check "status shows the learner, both actors and their environment servers running, weights past version 0"

"$launch" stop --timeout 30 || fail "launch.sh stop failed"
for dir in "$host0" "$host1"; do
    [ "$(cat "$dir/supervisor.exit")" = 130 ] || fail "supervisor in $dir exited $(cat "$dir/supervisor.exit")"
    grep -q '"state" : "interrupted"' "$dir/status.json" || fail "$dir/status.json does not say interrupted"
done
ls "$host0"/checkpoints/ckpt-*.shoal > /dev/null 2>&1 || fail "the learner left no checkpoint"
for dir in "$host0" "$host1"; do
    [ ! -e "$(cat "$dir/sockets")" ] || fail "the socket directory $(cat "$dir/sockets") of $dir outlived the run"
done
check "stopped: both supervisors exited 130, status interrupted, learner checkpointed, socket directories removed"

"$launch" logs || fail "launch.sh logs failed"
fetched="$SHOAL_CLUSTER_STATE/stopped/logs"
for file in 0-127.0.0.1/status.json 0-127.0.0.1/metrics.jsonl 0-127.0.0.1/logs/learner.log \
    0-127.0.0.1/logs/actor-0.log 0-127.0.0.1/plan.yaml 1-localhost/status.json 1-localhost/logs/actor-1.log; do
    [ -s "$fetched/$file" ] || fail "logs did not fetch $file"
done
[ ! -e "$fetched/0-127.0.0.1/checkpoints" ] || fail "logs fetched checkpoints"
grep -q '"name" : "actor-1"' "$fetched/1-localhost/status.json" || fail "fetched status.json is not actor-1's host's"
check "logs fetched from both hosts (status, metrics, every process's log; no checkpoints)"

# --- 2. a run with CURVE keys that finishes by itself ---
"$SHOAL" keygen learner --dir "$work" > /dev/null && "$SHOAL" keygen actor --dir "$work" > /dev/null
# The run is short: an actor that starts after it has finished (a busy machine) leaves after learnerGoneSeconds.
"$launch" start --hosts "$work/hosts" --config "$root/configs/cartpole.yaml" --run-id finished \
    --remote-dir "$work/remote" --rollouts-port $((base_port + 2)) --weights-port $((base_port + 3)) \
    --set maxEnvSteps=20000 --set learnerGoneSeconds=10 --keys "$work"
for dir in "$work/remote/finished/0-127.0.0.1" "$work/remote/finished/1-localhost"; do
    deadline=$((SECONDS + 120))
    while [ ! -s "$dir/supervisor.exit" ] && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    [ -s "$dir/supervisor.exit" ] \
        || fail "supervisor in $dir still running 120 s after start
$(logs_of "$work/remote/finished/0-127.0.0.1" "$work/remote/finished/1-localhost")"
    [ "$(cat "$dir/supervisor.exit")" = 0 ] || fail "supervisor in $dir exited $(cat "$dir/supervisor.exit")"
done
status=$("$launch" status --run-id finished)
[ "$(grep -c '^state: *finished' <<< "$status")" -eq 2 ] || fail "status does not show both hosts finished:
$status"
grep -q 'learner completed the run' <<< "$status" || fail "the learner did not complete the run:
$status"
"$launch" logs --run-id finished --to "$work/finished-logs" > /dev/null
[ -s "$work/finished-logs/1-localhost/logs/actor-1.log" ] || fail "logs of the finished run not fetched"
verdict=$(sed -n '/^== whole run (2 hosts)/,$s/^adds up: *//p' <<< "$status")
[[ $verdict == yes* ]] || fail "status shows no whole-run accounting that adds up: ${verdict:-none}
$status"
check "finished: learner completed the run, both supervisors exited 0, logs fetched; whole-run accounting $verdict"
finished0="$work/remote/finished/0-127.0.0.1" finished1="$work/remote/finished/1-localhost"
[ "$(ls "$finished0/keys")" = "$(printf 'actor.key\nactor.pub\nlearner.key\nlearner.pub')" ] \
    || fail "the learner host (with an actor) got keys $(ls "$finished0/keys" | tr '\n' ' ')"
[ "$(ls "$finished1/keys")" = "$(printf 'actor.key\nlearner.pub')" ] \
    || fail "the actor host got keys $(ls "$finished1/keys" | tr '\n' ' '), not just actor.key and learner.pub"
[ "$(stat -c %a "$finished1/keys/actor.key")" = 600 ] || fail "actor.key on the actor host is not mode 0600"
grep -q 'security=curve, 1 actor keys allowed' "$finished0/logs/learner.log" || fail "the learner did not use CURVE"
grep -q 'security=curve' "$finished1/logs/actor-1.log" || fail "actor-1 did not use CURVE"
check "keys: each host got only the files it needs (secret keys 0600); learner and actors used CURVE"
echo "launch-local: all checks passed"
