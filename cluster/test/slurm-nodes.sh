#!/usr/bin/env bash
# Runs cluster/slurm/shoal.sbatch on a real Slurm with two nodes on this machine. Each node is a network namespace
# with its own address on a bridge (itself in a namespace, so the machine's own network is never touched) and its own
# slurmd (`slurmd -N <node>`); slurmctld is in a third namespace, as on a cluster where the controller is another
# machine: slurmctld and the slurmds meet only over the bridge, and the test's Slurm commands (sbatch, squeue,
# scontrol) run there as on a login node. Names resolve in each namespace from /etc/netns/<namespace>/hosts, mounted
# over /etc/hosts as `ip netns exec` does. The rest is private-slurm.sh's (munged, whose socket is a file, serves every
# namespace). Submits a small run with CURVE keys with `sbatch --nodes=2` (node 0: the learner and 1 actor; node 1: 2
# actors dialling node 0 by its name) and checks that srun started a task on each node, the nodes' directories and
# plans, that both supervisors and the job finished, and that node 1's actors trained with the learner across the
# namespaces (weights in, rollouts acknowledged and counted by the learner, the merged ledgers adding up). Tears
# everything down, even on failure or interruption: no daemons, jobs, namespaces or files are left. Needs root and
# iproute2's `ip netns`; exits 77 with the reason when those or the Slurm/munge programs are missing, so a test can
# skip. Needs SHOAL or .build/debug/shoal. Exit 0 when all holds. About 7 s.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=private-slurm.sh
. "$(dirname "$0")/private-slurm.sh" slurm-nodes

# --- The network: namespaces on a bridge -----------------------------------------------------------------------------
for tool in ip unshare nsenter; do
    command -v $tool > /dev/null || skip "no $tool (apt-get install iproute2 util-linux)"
done
# Short names: interface names are limited to 15 bytes. The nodes are named as their namespaces.
prefix=shs$(($$ % 100000))
switch=${prefix}sw controller=${prefix}c nodes=("${prefix}n0" "${prefix}n1")
subnet=10.78.$(($$ % 200 + 20))
node_address() { echo "$subnet.$(($1 + 1))"; }
controller_address=$subnet.100
made_netns_directory=''
[ -d /etc/netns ] || made_netns_directory=yes

# Deletes the namespaces and their /etc/netns files (once no process is left in them: one would keep its namespace).
remove_network() {
    local namespace
    for namespace in "$switch" "$controller" "${nodes[@]}"; do
        if [ -e "/run/netns/$namespace" ]; then ip netns del "$namespace" || return 1; fi
        rm -rf "/etc/netns/$namespace"
    done
    if [ -n "$made_netns_directory" ]; then rmdir --ignore-fail-on-non-empty /etc/netns 2> /dev/null || true; fi
}
teardown_steps+=(remove_network)

# shellcheck source=scripts/netns-bridge.sh
. "$root/scripts/netns-bridge.sh"
make_bridge "$switch" 2> "$work/log/netns.err" \
    || skip "network namespaces unavailable (needs iproute2's ip netns): $(cat "$work/log/netns.err")"
join_bridge "$switch" "$controller" "$controller_address" "${prefix}pc"
for index in 0 1; do join_bridge "$switch" "${nodes[$index]}" "$(node_address $index)" "${prefix}p$index"; done
mkdir -p /etc/netns
for namespace in "$controller" "${nodes[@]}"; do
    mkdir "/etc/netns/$namespace"
    {
        echo "127.0.0.1 localhost"
        echo "$controller_address $controller"
        for index in 0 1; do echo "$(node_address $index) ${nodes[$index]}"; done
    } > "/etc/netns/$namespace/hosts"
done

# These words run a program in namespace NS (the word after them) with /etc/netns/NS/hosts as its /etc/hosts, as
# `ip netns exec NS` would, but keeping the machine's /sys: ip netns exec mounts a sysfs of its own there, without the
# cgroup file systems under /sys/fs/cgroup, and slurmd 22.05 does not start without them (it initialises its cgroup
# plugin even with proctrack/linuxproc and task/none). The hosts file is mounted in a mount namespace of its own.
# Each command execs the next, so a program started in the background keeps the PID that $! gives.
# shellcheck disable=SC2016 # $0 and $@ are the inner bash's
enter_namespace=(unshare --mount --propagation slave -- bash -c
    'mount --bind "/etc/netns/$0/hosts" /etc/hosts && exec nsenter --net="/run/netns/$0" -- "$@"')

# --- A private cluster: the controller and two nodes -----------------------------------------------------------------
controller_launcher=("${enter_namespace[@]}" "$controller")
start_munged
write_slurm_conf "$controller_address" "${nodes[0]} $(node_address 0)" "${nodes[1]} $(node_address 1)"
start_slurmctld
for node in "${nodes[@]}"; do start_slurmd "$node" "${enter_namespace[@]}" "$node"; done
wait_for_idle_nodes 2

# --- A run over both nodes -------------------------------------------------------------------------------------------
sed 's/^maxEnvSteps:.*/maxEnvSteps: 100000/' "$root/configs/cartpole.yaml" > "$work/small.yaml"
keys=$(make_keys)
# 2 actors per node: the learner's node runs 1 of them.
job=$(SHOAL_KEYS=$keys ACTORS_PER_NODE=2 submit small --nodes=2)
expect_job_completed "$job"
for index in 0 1; do
    grep -q "launch task StepId=$job.0 request" "$work/log/slurmd-${nodes[$index]}.log" \
        || fail "srun launched no task of step $job.0 on node ${nodes[$index]}"
    grep -q "node $index ($host): supervisor exited 0" "$work/job-$job.out" \
        || fail "node $index's supervisor did not exit 0"
done

run="$work/runs/shoal-slurm-$job"
node0="$run/nodes/0-$host" node1="$run/nodes/1-$host"
directories=$(cd "$run/nodes" && echo *)
[ "$directories" = "0-$host 1-$host" ] || fail "node directories are '$directories', not 0-$host 1-$host"
[ "$(grep -c 'role: learner' "$node0/plan.yaml")" -eq 1 ] || fail "node 0 should run the learner"
[ "$(grep -c 'role: actor' "$node0/plan.yaml")" -eq 1 ] || fail "node 0 should run 1 actor"
[ "$(grep -c 'role: learner' "$node1/plan.yaml")" -eq 0 ] || fail "node 1 should not run a learner"
[ "$(grep -c 'role: actor' "$node1/plan.yaml")" -eq 2 ] || fail "node 1 should run 2 actors"
ids=$(sed -n 's/^    id: //p' "$node0/plan.yaml" "$node1/plan.yaml" | tr '\n' ' ')
[ "$ids" = "0 1 2 " ] || fail "actor ids are '$ids', not 0 1 2"
for port in $((base_port + 2)) $((base_port + 3)); do
    grep -q "tcp://${nodes[0]}:$port" "$node1/plan.yaml" || fail "node 1's actors do not dial ${nodes[0]}:$port"
done
for node in "$node0" "$node1"; do
    grep -q '"state" : "finished"' "$node/status.json" || fail "${node#"$run"/} did not finish"
done
grep -q '"outcome" : "learner completed the run"' "$node0/status.json" || fail "the learner did not complete the run"
ls "$node0"/checkpoints/ckpt-*.shoal > /dev/null 2>&1 || fail "the learner left no checkpoint"
grep -q 'security=curve, 1 actor keys allowed' "$node0/logs/learner.log" || fail "the learner did not use CURVE keys"

# Node 1's actors reached the learner over the bridge: each got weights and had rollouts acknowledged, the learner
# counted rollouts from both (known/<actor>.<incarnation>), and the two nodes' ledgers merged add up.
for id in 1 2; do
    log="$node1/logs/actor-$id.log"
    grep -q "learner=tcp://${nodes[0]}:.*security=curve" "$log" || fail "actor $id did not dial ${nodes[0]} on CURVE"
    grep -q 'first weights' "$log" || fail "actor $id on node 1 got no weights from the learner"
done
report=$("$shoal" status "$node0" "$node1") || fail "shoal status failed: $report"
for id in 1 2; do
    grep -Eq "^actor-$id .* acknowledged=[1-9]" <<< "$report" \
        || fail "the learner acknowledged no rollout of actor $id on node 1:
$report"
    grep -Eq "^learner .* known/$id\.[0-9]+=[1-9]" <<< "$report" \
        || fail "the learner counted no rollout from actor $id on node 1:
$report"
done
sed -n '/^== whole run (2 hosts)/,$p' <<< "$report" | grep -q '^adds up: *yes' \
    || fail "the merged accounting of the two nodes does not add up:
$report"

echo "slurm-nodes: all checks passed (Slurm $(sinfo -V | cut -d' ' -f2), job $job on 2 namespace nodes: learner +" \
    "1 actor on ${nodes[0]}, 2 actors on ${nodes[1]} dialling it over the bridge with CURVE; run finished, ledgers" \
    "add up)"
