#!/usr/bin/env bash
# Installs the system libraries Shoal builds against (Debian/Ubuntu). Safe to run repeatedly.
set -euo pipefail

# Build: pkg-config, libzmq3-dev, libopenblas-dev, libprotobuf-c-dev, protobuf-compiler. Tests: iproute2 (network
# namespaces); iptables, libnetfilter-queue-dev, gcc and libc6-dev (delay and loss on kernels without tc netem, see
# Tests/NetworkTools/netdelay.c); slurmctld, slurmd, slurm-client and munge (a real one-node Slurm for
# cluster/test/slurm-real.sh).
packages=(pkg-config libzmq3-dev libopenblas-dev libprotobuf-c-dev protobuf-compiler iproute2
          iptables libnetfilter-queue-dev gcc libc6-dev slurmctld slurmd slurm-client munge)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: installing ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The Kubernetes manifests' test (cluster/test/validate-k8s.sh) validates against the schemas this package ships,
# offline. Pinned so that the schemas, and so the test, do not change under us.
kubernetes_validate=1.37.0
if ! python3 -m pip --version > /dev/null 2>&1; then
    echo "setup: no python3 with pip: the Kubernetes manifests' validation test will be skipped" >&2
elif [ "$(python3 -m pip show kubernetes-validate 2>/dev/null | sed -n 's/^Version: //p')" != "$kubernetes_validate" ]
then
    echo "setup: installing kubernetes-validate $kubernetes_validate with pip" >&2
    # Outside a virtualenv and not root: the user's site (allowed past Debian's externally-managed marker, which
    # guards the system site, not the user's).
    user=()
    if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then user=(--user); fi
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q "${user[@]+"${user[@]}"}" \
        "kubernetes-validate==$kubernetes_validate"
fi
