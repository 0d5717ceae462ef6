#!/usr/bin/env bash
# Regenerates the code made from proto/shoal/v1/*.proto. Run from anywhere; commit the result.
#   Swift:  Sources/ShoalWire/Generated/*.pb.swift (every schema, and TensorBoard's event file schema)
#   Python: python/src/shoal_env/_proto/*_pb2.py  (every schema: the environment protocol, and heartbeats to a supervisor)
#   C:      c/src/generated/shoal/v1/*.pb-c.[ch]  (the same, with protoc-gen-c from protobuf-c-compiler)
#
# The Swift plugin must match the swift-protobuf version the package resolves to, because generated code checks the
# runtime's API version. It is taken from $PROTOC_GEN_SWIFT if set, else from an earlier build under .build, else built
# from the resolved checkout (about ten minutes on two cores).
set -euo pipefail

script_dir="${BASH_SOURCE[0]%/*}"
[[ "$script_dir" == "${BASH_SOURCE[0]}" ]] && script_dir=.
root="$(cd "$script_dir/.." && pwd)"
out="$root/Sources/ShoalWire/Generated"
checkout="$root/.build/checkouts/swift-protobuf"
scratch="$root/.build/protoc-gen-swift"

fail() {
    echo "generate.sh: $*" >&2
    exit 1
}

command -v protoc >/dev/null || fail "protoc not found; install it (Debian/Ubuntu: apt-get install protobuf-compiler)"
command -v protoc-gen-c >/dev/null \
    || fail "protoc-gen-c not found; install it (Debian/Ubuntu: apt-get install protobuf-c-compiler)"

if [[ ! -d "$checkout" ]]; then
    (cd "$root" && swift package resolve) || fail "swift package resolve failed; cannot find swift-protobuf"
fi
wanted="$(git -C "$checkout" describe --tags --exact-match 2>/dev/null)" \
    || fail "cannot tell which swift-protobuf version $checkout holds"

plugin_version() {
    "$1" --version 2>/dev/null | awk 'NR == 1 { print $NF }'
}

if [[ -n "${PROTOC_GEN_SWIFT:-}" ]]; then
    plugin="$PROTOC_GEN_SWIFT"
    [[ -x "$plugin" ]] || fail "PROTOC_GEN_SWIFT=$plugin is not an executable"
    [[ "$(plugin_version "$plugin")" == "$wanted" ]] \
        || fail "PROTOC_GEN_SWIFT is version $(plugin_version "$plugin"), the package resolves swift-protobuf $wanted"
else
    plugin="$scratch/release/protoc-gen-swift"
    if [[ ! -x "$plugin" || "$(plugin_version "$plugin")" != "$wanted" ]]; then
        echo "generate.sh: building protoc-gen-swift $wanted (about ten minutes)..." >&2
        swift build -c release --product protoc-gen-swift --package-path "$checkout" --scratch-path "$scratch" \
            || fail "building protoc-gen-swift failed"
    fi
fi

rm -f "$out"/*.pb.swift
protoc \
    --plugin="protoc-gen-swift=$plugin" \
    --proto_path="$root/proto" \
    --swift_opt=Visibility=Internal \
    --swift_opt=FileNaming=DropPath \
    --swift_out="$out" \
    "$root"/proto/shoal/v1/*.proto "$root"/proto/tensorboard/*.proto
echo "generate.sh: wrote $(ls "$out"/*.pb.swift | wc -l) files to ${out#"$root"/}"

# For the environment servers of the Python package and the C library (TensorBoard's schema is the learner's alone:
# Python reads event files with TensorBoard's own package).
env_protos=("$root"/proto/shoal/v1/*.proto)

python_out="$root/python/src/shoal_env/_proto"
scratch_python="$(mktemp -d)"
trap 'rm -rf "$scratch_python"' EXIT
protoc --proto_path="$root/proto" --python_out="$scratch_python" --pyi_out="$scratch_python" "${env_protos[@]}"
mkdir -p "$python_out"
rm -f "$python_out"/*_pb2.py "$python_out"/*_pb2.pyi
for generated in "$scratch_python"/shoal/v1/*_pb2.py "$scratch_python"/shoal/v1/*_pb2.pyi; do
    # protoc writes imports from the proto path's root (`from shoal.v1 import tensor_pb2`); inside the package they
    # are relative.
    sed -e 's/^from shoal\.v1 import /from . import /' "$generated" > "$python_out/${generated##*/}"
done
echo "generate.sh: wrote $(ls "$python_out"/*_pb2.py | wc -l) Python modules to ${python_out#"$root"/}"

c_out="$root/c/src/generated"
rm -rf "$c_out"
mkdir -p "$c_out"
protoc --proto_path="$root/proto" --c_out="$c_out" "${env_protos[@]}"
echo "generate.sh: wrote $(find "$c_out" -name '*.pb-c.c' | wc -l) C files to ${c_out#"$root"/}"
