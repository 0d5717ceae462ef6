#!/usr/bin/env bash
# Installs the system libraries Shoal builds against (Debian/Ubuntu). Safe to run repeatedly.
set -euo pipefail

packages=(pkg-config libzmq3-dev libopenblas-dev libprotobuf-c-dev protobuf-compiler)

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
if command -v python3 > /dev/null \
    && [ "$(python3 -m pip show kubernetes-validate 2>/dev/null | sed -n 's/^Version: //p')" != "$kubernetes_validate" ]
then
    echo "setup: installing kubernetes-validate $kubernetes_validate (pip, user site when not root)" >&2
    user=""
    if [ "$(id -u)" -ne 0 ] && [ -z "${VIRTUAL_ENV:-}" ]; then user="--user"; fi
    python3 -m pip install -q $user "kubernetes-validate==$kubernetes_validate"
fi
