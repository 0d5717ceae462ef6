#!/usr/bin/env bash
# Stands in for ssh in tests: `ssh-local.sh [-o OPT]... HOST COMMAND...` runs COMMAND on this machine the way sshd
# would (the words joined by spaces, given to a shell), with stdin passed through. HOST is ignored.
set -euo pipefail
while [ $# -gt 0 ]; do
    case $1 in
        -o|-p|-i|-l|-F|-J) shift 2 ;;
        -*) shift ;;
        *) break ;;
    esac
done
[ $# -ge 2 ] || { echo "ssh-local.sh: usage: ssh-local.sh [-o OPT]... HOST COMMAND..." >&2; exit 255; }
shift
exec bash -c "$*"
