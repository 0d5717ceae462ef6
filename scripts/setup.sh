#!/usr/bin/env bash
# Installs the system libraries Shoal builds against (Debian/Ubuntu). Safe to run repeatedly.
set -euo pipefail

packages=(pkg-config libzmq3-dev libopenblas-dev libprotobuf-c-dev protobuf-compiler)

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "setup: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
