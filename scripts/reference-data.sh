#!/usr/bin/env bash
# Regenerates the reference data (Tests/Fixtures/reference) with gymnasium and rlax, in a virtual environment
# made from scripts/reference-data/requirements.txt.
#   scripts/reference-data.sh [OUT]           write the data to OUT (default Tests/Fixtures/reference)
#   scripts/reference-data.sh check FOLDER... replay/recompute every *.json file under the folders
# VENV names the virtual environment (default .venv-reference in the repository); PYTHON the interpreter
# that makes it (default python3).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
here="$root/scripts/reference-data"
venv="${VENV:-$root/.venv-reference}"
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements.txt"
if [ "${1:-}" = check ]; then
    shift
    exec "$venv/bin/python" "$here/check.py" "$@"
fi
exec "$venv/bin/python" "$here/generate.py" "$@"
