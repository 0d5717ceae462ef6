#!/usr/bin/env bash
# Starts, watches, stops and collects a Shoal run on plain hosts over ssh: one `shoal supervise` per host, the learner
# on the first host, actors on the others. See cluster/README.md and docs/cluster.md.
#
#   cluster/launch.sh start  [--hosts FILE | --learner HOST --actor-hosts H1,H2] [options]
#   cluster/launch.sh status [--run-id R]
#   cluster/launch.sh stop   [--run-id R]
#   cluster/launch.sh logs   [--run-id R]
#
# Hosts file: one host a line, `#` starts a comment. The first line is the learner host, the rest actor hosts.
# Each line may add `actors=N` (actor processes on that host; default --actors-per-host, 0 on the learner line) and
# `address=A` (the address actors use to reach the learner; default the host name without any `user@`):
#
#   gpu0.example.org address=10.0.0.10
#   alice@cpu1.example.org actors=8
#   cpu2.example.org actors=8
#
# Environment: SSH (the ssh command, default `ssh -o BatchMode=yes -o ConnectTimeout=10`; tests put a local shim
# here), SHOAL (the `shoal` binary on the hosts, default `shoal` on their PATH), SHOAL_LOCAL (a `shoal` on this
# machine, to merge the hosts' accounting in `status`; default SHOAL), SHOAL_CLUSTER_STATE (where this machine keeps
# what it started, default ./shoal-cluster).
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
    cat <<'EOF'

start options:
  --hosts FILE            hosts file (see above)
  --learner HOST          learner host (instead of --hosts)
  --actor-hosts H1,H2     actor hosts (instead of --hosts)
  --actors-per-host N     actors on each actor host without actors= (default 2)
  --config FILE           config copied to every host (default configs/cartpole.yaml)
  --set KEY=VALUE         config override given to every role (repeatable)
  --run-id R              run id (default shoal-<UTC time>)
  --remote-dir DIR        base of the run directories on the hosts (default shoal-runs, under the ssh home)
  --rollouts-port P       learner's rollouts port (default 5555)
  --weights-port P        learner's weights port (default 5556)
  --keys DIR              CurveZMQ keys (see below): encrypt every connection, accept only the actors' key
  --prometheus HOST:PORT  serve Prometheus metrics on every host: its supervisor on PORT, the learner (first
                          host) on PORT+1, the host's actors on the ports after, in id order
stop options:
  --timeout S             seconds to wait for each supervisor after SIGTERM before SIGKILL (default 60)
logs options:
  --to DIR                where to copy the run directories (default <state>/<run id>/logs)

--keys DIR holds two key pairs from `shoal keygen` (docs/security.md):
  shoal keygen learner --dir DIR && shoal keygen actor --dir DIR
Each host gets only the files its roles need, in its run directory's keys/ (secret keys mode 0600): the learner
host learner.key and actor.pub (its allow-list), actor hosts actor.key and learner.pub.
EOF
}

# A mistake in the arguments or files given: exit 2, nothing started.
die() { echo "launch.sh: $*" >&2; exit 2; }
# Something failed on a host: exit 1.
failed() { echo "launch.sh: $*" >&2; exit 1; }

read -ra ssh_command <<< "${SSH:-ssh -o BatchMode=yes -o ConnectTimeout=10}"
shoal_binary=${SHOAL:-shoal}
state_base=${SHOAL_CLUSTER_STATE:-shoal-cluster}

# One word quoted for a POSIX shell on the far side.
quote() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# Runs the script on stdin with bash on HOST.
remote() { "${ssh_command[@]}" "$1" bash -s; }

# The address actors dial for the learner on host line HOST: `address=` if given, else the host without `user@`.
address_of() { local host=$1 address=$2; echo "${address:-${host#*@}}"; }

# --- start --------------------------------------------------------------------------------------------------------

# Reads the hosts file into the arrays hosts, actor_counts and addresses.
read_hosts_file() {
    local file=$1 line word index=0
    [ -r "$file" ] || die "cannot read hosts file '$file'"
    while IFS= read -r line || [ -n "$line" ]; do
        line=${line%%#*}
        read -ra words <<< "$line"
        [ ${#words[@]} -gt 0 ] || continue
        hosts+=("${words[0]}")
        local count="" address=""
        for word in "${words[@]:1}"; do
            case $word in
                actors=*) count=${word#actors=} ;;
                address=*) address=${word#address=} ;;
                *) die "$file: unknown setting '$word' for host ${words[0]} (expected actors=N or address=A)" ;;
            esac
        done
        if [ -z "$count" ]; then
            if [ $index -eq 0 ]; then count=0; else count=$actors_per_host; fi
        fi
        [[ $count =~ ^[0-9]+$ ]] || die "$file: actors=$count for host ${words[0]} is not a number"
        actor_counts+=("$count")
        addresses+=("$address")
        index=$((index + 1))
    done < "$file"
    [ ${#hosts[@]} -gt 0 ] || die "$file lists no hosts"
}

# Writes to stdout the `shoal plan` command (see `shoal plan --help`) for host number INDEX, running COUNT actors
# from id FIRST_ID, as the far side runs it: "$dir" is its run directory, "$sockets" its socket directory.
plan_command() {
    local index=$1 count=$2 first_id=$3 learner_address=$4 pair word
    local words=(plan --run-id "$run_id" --config @DIR@/config.yaml --dir @DIR@ --sockets @SOCKETS@
                 --learner-host "$learner_address" --learner-address-ports "$rollouts_port,$weights_port"
                 --actors "$count" --first-actor "$first_id")
    for pair in "${sets[@]+"${sets[@]}"}"; do words+=(--set "$pair"); done
    if [ "$index" -eq 0 ]; then words+=(--learner-ports "$rollouts_port,$weights_port"); fi
    if [ -n "$keys_dir" ]; then words+=(--keys @DIR@/keys); fi
    if [ -n "$prometheus" ]; then words+=(--prometheus "$prometheus"); fi
    local command='"$shoal"'
    for word in "${words[@]}"; do
        case $word in
            @DIR@*) command+=" \"\$dir\"$(quote "${word#@DIR@}")" ;;
            @SOCKETS@) command+=' "$sockets"' ;;
            *) command+=" $(quote "$word")" ;;
        esac
    done
    echo "$command"
}

# Writes to stdout the commands that put into keys/ the key files host number INDEX (running COUNT actors) needs.
key_files_for_host() {
    local index=$1 count=$2 names=() name
    [ -n "$keys_dir" ] || return 0
    [ "$index" -eq 0 ] && names+=(learner.key actor.pub)
    [ "$count" -gt 0 ] && names+=(actor.key learner.pub)
    echo "mkdir -p keys && chmod 700 keys"
    for name in "${names[@]}"; do
        # Written under umask 077, so a secret key is never readable by others, even for a moment.
        echo "(umask 077 && cat > keys/$name) <<'SHOAL_KEY_END'"
        cat "$keys_dir/$name"
        echo "SHOAL_KEY_END"
    done
}

# Writes to stdout the script that sets up and starts the supervisor on host number INDEX.
start_script() {
    local index=$1 host_dir="$remote_dir/$run_id/$1-${hosts[$1]#*@}"
    cat <<EOF
set -eu
mkdir -p $(quote "$host_dir")
cd $(quote "$host_dir")
dir=\$(pwd)
shoal=$(quote "$shoal_binary")
cat > config.yaml <<'SHOAL_CONFIG_END'
$(cat "$config")
SHOAL_CONFIG_END
$(key_files_for_host "$1" "$2")
# Unix sockets (the supervisor's heartbeats, environment servers) in a node-local directory only this user can
# enter, with a short path (ipc paths are limited to 107 bytes); stop removes it.
sockets=\$(mktemp -d /tmp/shoal-sockets.XXXXXX)
echo "\$sockets" > sockets
$(plan_command "$@") > plan.yaml || { echo "\$(hostname): shoal plan failed" >&2; exit 1; }
EOF
    # The supervisor outlives this ssh session (setsid, nohup); the wrapper records its pid and exit status.
    cat <<'EOF'
rm -f supervisor.pid supervisor.exit status.json
setsid nohup sh -c '"$1" supervise "$2/plan.yaml" --run-dir "$2" & echo $! > "$2/supervisor.pid"; wait $!
    echo $? > "$2/supervisor.exit"' sh "$shoal" "$dir" > supervisor.out 2>&1 < /dev/null &
for _ in $(seq 100); do [ -s supervisor.pid ] && break; sleep 0.1; done
[ -s supervisor.pid ] || { echo "$(hostname): the supervisor did not start; see $dir/supervisor.out" >&2; exit 1; }
# It writes status.json once its children are started; a bad plan or a taken socket ends it first.
for _ in $(seq 100); do [ -e status.json ] || [ -e supervisor.exit ] && break; sleep 0.1; done
if [ ! -e status.json ] && [ -e supervisor.exit ]; then
    echo "$(hostname): the supervisor exited $(cat supervisor.exit) at start:" >&2; tail -n 5 supervisor.out >&2; exit 1
fi
echo "$(hostname): supervisor $(cat supervisor.pid) in $dir"
EOF
}

command_start() {
    local hosts_file="" learner="" actor_hosts="" config=configs/cartpole.yaml
    actors_per_host=2 run_id="shoal-$(date -u +%Y%m%d-%H%M%S)" remote_dir=shoal-runs
    rollouts_port=5555 weights_port=5556 keys_dir="" prometheus=""
    sets=() hosts=() actor_counts=() addresses=()
    while [ $# -gt 0 ]; do
        case $1 in
            --hosts) hosts_file=$2; shift 2 ;;
            --learner) learner=$2; shift 2 ;;
            --actor-hosts) actor_hosts=$2; shift 2 ;;
            --actors-per-host) actors_per_host=$2; shift 2 ;;
            --config) config=$2; shift 2 ;;
            --set) sets+=("$2"); shift 2 ;;
            --run-id) run_id=$2; shift 2 ;;
            --remote-dir) remote_dir=$2; shift 2 ;;
            --rollouts-port) rollouts_port=$2; shift 2 ;;
            --weights-port) weights_port=$2; shift 2 ;;
            --keys) keys_dir=$2; shift 2 ;;
            --prometheus) prometheus=$2; shift 2 ;;
            *) die "start: unknown option '$1' (see --help)" ;;
        esac
    done
    [[ $actors_per_host =~ ^[0-9]+$ ]] || die "--actors-per-host '$actors_per_host' is not a number"
    [ -r "$config" ] || die "cannot read config '$config'"
    [[ $run_id =~ ^[A-Za-z0-9._-]+$ ]] || die "run id '$run_id' may only hold letters, digits, '.', '_' and '-'"
    [[ $remote_dir =~ ^[^[:space:]]+$ ]] || die "--remote-dir '$remote_dir' must not contain spaces"
    [[ $rollouts_port =~ ^[0-9]+$ && $weights_port =~ ^[0-9]+$ ]] || die "ports must be numbers"
    local name
    for name in learner.key learner.pub actor.key actor.pub; do
        [ -z "$keys_dir" ] || [ -r "$keys_dir/$name" ] || die "--keys: no $keys_dir/$name" \
            "(make the keys with: shoal keygen learner --dir $keys_dir && shoal keygen actor --dir $keys_dir)"
    done
    if [ -n "$hosts_file" ]; then
        read_hosts_file "$hosts_file"
    else
        [ -n "$learner" ] || die "start needs --hosts FILE or --learner HOST"
        hosts=("$learner"); actor_counts=(0); addresses=("")
        local host
        IFS=, read -ra extra <<< "$actor_hosts"
        for host in "${extra[@]}"; do hosts+=("$host"); actor_counts+=("$actors_per_host"); addresses+=(""); done
    fi
    local state="$state_base/$run_id"
    [ ! -e "$state" ] || die "run '$run_id' was already started from here ($state)"
    # The start scripts kept here carry the hosts' secret keys when --keys is given.
    mkdir -p "$state_base" && (umask 077 && mkdir "$state")
    local learner_address index next_id=0
    learner_address=$(address_of "${hosts[0]}" "${addresses[0]}")
    {
        echo "run_id=$(quote "$run_id")"
        echo "remote_dir=$(quote "$remote_dir")"
        echo "learner_address=$(quote "$learner_address")"
        echo "rollouts_port=$rollouts_port"
        echo "weights_port=$weights_port"
    } > "$state/run.env"
    for index in "${!hosts[@]}"; do
        start_script "$index" "${actor_counts[$index]}" "$next_id" "$learner_address" > "$state/start-$index.sh"
        echo "$index ${hosts[$index]} $remote_dir/$run_id/$index-${hosts[$index]#*@} ${actor_counts[$index]}" \
            >> "$state/hosts"
        next_id=$((next_id + actor_counts[index]))
    done
    # Recorded before anything starts, so that `stop` finds a run that failed half-way.
    echo "$run_id" > "$state_base/latest"
    # The learner first, so that actors find it listening (they would wait for it anyway).
    for index in "${!hosts[@]}"; do
        remote "${hosts[$index]}" < "$state/start-$index.sh" \
            || failed "could not start on ${hosts[$index]}; \`$0 stop --run-id $run_id\` stops what did start"
    done
    echo "run $run_id: learner on ${hosts[0]} (tcp://$learner_address:$rollouts_port, :$weights_port)," \
        "$next_id actors; state in $state"
}

# --- status, stop, logs --------------------------------------------------------------------------------------------

# Sets run_id and state from --run-id or the latest run started here; the remaining arguments are left in rest.
load_run() {
    run_id="" rest=()
    while [ $# -gt 0 ]; do
        case $1 in
            --run-id) run_id=$2; shift 2 ;;
            *) rest+=("$1"); shift ;;
        esac
    done
    if [ -z "$run_id" ]; then
        [ -r "$state_base/latest" ] || die "no run started from here (no $state_base/latest); give --run-id"
        run_id=$(cat "$state_base/latest")
    fi
    state="$state_base/$run_id"
    [ -r "$state/hosts" ] || die "no record of run '$run_id' in $state"
}

command_status() {
    load_run "$@"
    local index host dir count failures=0
    while read -r index host dir count; do
        echo "== $host ($dir)"
        remote "$host" <<EOF || failures=$((failures + 1))
cd $(quote "$dir") || exit 1
$(quote "$shoal_binary") status .
if [ -s supervisor.exit ]; then echo "supervisor exited with status \$(cat supervisor.exit)"; fi
EOF
    done < "$state/hosts"
    whole_run_accounting
    [ $failures -eq 0 ]
}

# Prints the whole run's rollout accounting: each host's status.json copied here and merged by a local shoal
# (SHOAL_LOCAL, else SHOAL if it runs here), which may be missing on this machine.
whole_run_accounting() {
    local copies="$state/status" index host dir count directories=()
    local local_shoal=${SHOAL_LOCAL:-$shoal_binary}
    command -v "$local_shoal" > /dev/null || {
        echo "== whole run: no shoal on this machine to merge the hosts' accounting (set SHOAL_LOCAL)"; return 0; }
    rm -rf "$copies"
    while read -r index host dir count; do
        mkdir -p "$copies/$index"
        remote "$host" <<< "cat $(quote "$dir")/status.json" > "$copies/$index/status.json" 2> /dev/null \
            && directories+=("$copies/$index")
    done < "$state/hosts"
    [ ${#directories[@]} -gt 0 ] || return 0
    "$local_shoal" status "${directories[@]}" | sed -n '/^== whole run/,$p'
}

# Sends SIGTERM to the supervisor on HOST in DIR and waits up to $timeout seconds, then SIGKILL.
stop_host() {
    local host=$1 dir=$2
    remote "$host" <<EOF
cd $(quote "$dir") || exit 1
# Once the supervisor is gone, the socket directory in /tmp (see start) can go too.
sockets=\$(grep -x '/tmp/shoal-sockets\.[A-Za-z0-9]*' sockets 2>/dev/null || true)
trap 'kill -0 "\$pid" 2>/dev/null || rm -rf \$sockets' EXIT
pid=\$(cat supervisor.pid 2>/dev/null) || { echo "$host: no supervisor.pid"; exit 1; }
if ! kill -0 "\$pid" 2>/dev/null; then echo "$host: supervisor \$pid already gone"; exit 0; fi
kill -TERM "\$pid"
waited=0
while kill -0 "\$pid" 2>/dev/null; do
    if [ \$waited -ge $((timeout * 10)) ]; then
        echo "$host: supervisor \$pid still running after ${timeout}s; SIGKILL"; kill -KILL "\$pid"; exit 1
    fi
    sleep 0.1; waited=\$((waited + 1))
done
for _ in \$(seq 50); do [ -s supervisor.exit ] && break; sleep 0.1; done
echo "$host: supervisor \$pid stopped (exit status \$(cat supervisor.exit 2>/dev/null || echo unknown))"
EOF
}

command_stop() {
    load_run "$@"
    timeout=60
    set -- "${rest[@]+"${rest[@]}"}"
    while [ $# -gt 0 ]; do
        case $1 in
            --timeout) timeout=$2; shift 2 ;;
            *) die "stop: unknown option '$1'" ;;
        esac
    done
    # Actor hosts first (in parallel), the learner host last: the learner sees its actors go and checkpoints last.
    local index host dir count pids=() failures=0 learner_host="" learner_dir=""
    while read -r index host dir count; do
        if [ "$index" -eq 0 ]; then learner_host=$host learner_dir=$dir; continue; fi
        stop_host "$host" "$dir" & pids+=($!)
    done < "$state/hosts"
    for pid in "${pids[@]+"${pids[@]}"}"; do wait "$pid" || failures=$((failures + 1)); done
    stop_host "$learner_host" "$learner_dir" || failures=$((failures + 1))
    [ $failures -eq 0 ]
}

command_logs() {
    load_run "$@"
    local to="$state/logs"
    set -- "${rest[@]+"${rest[@]}"}"
    while [ $# -gt 0 ]; do
        case $1 in
            --to) to=$2; shift 2 ;;
            *) die "logs: unknown option '$1'" ;;
        esac
    done
    # tar over the same ssh command rather than scp/rsync: one transport to configure (and to replace in tests),
    # nothing more needed on the hosts. Checkpoints are left out; they can be large.
    local index host dir count failures=0
    while read -r index host dir count; do
        mkdir -p "$to/$index-${host#*@}"
        if echo "tar -C $(quote "$dir") --exclude=./checkpoints -cf - ." \
            | "${ssh_command[@]}" "$host" bash -s | tar -C "$to/$index-${host#*@}" -xf -; then
            echo "$host: $dir -> $to/$index-${host#*@}"
        else
            echo "$host: could not fetch $dir" >&2; failures=$((failures + 1))
        fi
    done < "$state/hosts"
    [ $failures -eq 0 ]
}

case ${1:-} in
    start) shift; command_start "$@" ;;
    status) shift; command_status "$@" ;;
    stop) shift; command_stop "$@" ;;
    logs) shift; command_logs "$@" ;;
    -h|--help|help) usage ;;
    *) usage >&2; exit 2 ;;
esac
