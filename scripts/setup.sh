#!/usr/bin/env bash
# Installs the system libraries Shoal builds against (Debian/Ubuntu). Safe to run repeatedly.
set -euo pipefail

# Build: pkg-config, libzmq3-dev, libopenblas-dev, libprotobuf-c-dev, protobuf-compiler, make and gcc (the C
# environment-server library in c/). Tests: valgrind (the C library's leak check); iproute2 (network
# namespaces); iptables, libnetfilter-queue-dev, gcc and libc6-dev (delay and loss on kernels without tc netem, see
# Tests/NetworkTools/netdelay.c); slurmctld, slurmd, slurm-client and munge (a real one-node Slurm for
# cluster/test/slurm-real.sh); prometheus (its promtool checks the metrics endpoints).
packages=(pkg-config libzmq3-dev libopenblas-dev libprotobuf-c-dev protobuf-compiler make valgrind iproute2
          iptables libnetfilter-queue-dev gcc libc6-dev slurmctld slurmd slurm-client munge prometheus)

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

# Python: the shoal-env package (environment servers for gymnasium: and python: environments, and its pytest tests),
# and kubernetes-validate, with which the Kubernetes manifests' test (cluster/test/validate-k8s.sh) validates against
# the schemas it ships, offline (pinned, so that the schemas, and so the test, do not change under us).
if ! python3 -m pip --version > /dev/null 2>&1; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
    echo "setup: installing python3-pip" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends python3-pip python3-venv
fi
# Outside a virtualenv and not root: the user's site (allowed past Debian's externally-managed marker, which guards
# the system site, not the user's).
user=()
if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then user=(--user); fi
pip_install() {
    PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install -q --disable-pip-version-check "${user[@]+"${user[@]}"}" "$@"
}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
echo "setup: building the C environment-server library and its example (c/)" >&2
make -s -C "$root/c"
echo "setup: installing the shoal-env Python package (python/) with pip" >&2
pip_install "$root/python[test]"
# Installs NAME at VERSION with pip unless that version is there.
pip_pinned() {
    if [ "$(python3 -m pip show "$1" 2>/dev/null | sed -n 's/^Version: //p')" != "$2" ]; then
        echo "setup: installing $1 $2 with pip" >&2
        pip_install "$1==$2"
    fi
}
pip_pinned tensorboard 2.21.0  # TensorBoard's own reader checks the event files the learner writes (TensorBoardTests)
pip_pinned safetensors 0.8.0   # Hugging Face's reader checks the files shoal export writes (ExportTests)
pip_pinned kubernetes-validate 1.37.0
