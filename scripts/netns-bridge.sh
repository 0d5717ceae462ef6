# Test hosts on one machine: network namespaces joined to a bridge that lives in a namespace of its own, so the
# machine's own network is never touched. Sourced by scripts/bench-hosts.sh and cluster/test/slurm-nodes.sh (the
# Swift tests have the same in Tests/IntegrationTests/TestHosts.swift). Needs root and iproute2.
# shellcheck shell=bash

# Makes the namespace $1 holding the bridge br0; fails (with ip's message) where namespaces are unavailable.
make_bridge() {
    local switch=$1
    ip netns add "$switch" && ip -n "$switch" link add br0 type bridge && ip -n "$switch" link set br0 up
}

# Makes the namespace $2 with eth0 at address $3/24, joined to the bridge in namespace $1 through the veth port $4
# (interface names have at most 15 bytes).
join_bridge() {
    local switch=$1 namespace=$2 address=$3 port=$4
    ip netns add "$namespace"
    ip -n "$namespace" link add eth0 type veth peer name "$port" netns "$switch"
    ip -n "$switch" link set "$port" master br0 up
    ip -n "$namespace" address add "$address/24" dev eth0
    ip -n "$namespace" link set eth0 up
    ip -n "$namespace" link set lo up
}
