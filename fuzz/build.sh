#!/usr/bin/env bash
# Builds the wire fuzzer fuzz/out/FuzzWire (libFuzzer + AddressSanitizer) and the seed writer fuzz/out/SeedCorpus.
# Usage: fuzz/build.sh
#
# swiftc is driven directly because SwiftPM can only sanitise every target of a build, and a fuzz target would need
# an entry in Package.swift. SwiftProtobuf, ShoalCore and ShoalWire are each compiled to one object and module under
# fuzz/out/build; a module is rebuilt when its sources or a module it imports changed. Every module runs under ASan,
# but only Shoal's code guides libFuzzer with coverage: SwiftProtobuf's parser has its own fuzzers upstream
# (FuzzTesting/), and its many internal edges would fill the corpus with inputs that never reach ShoalWire.
set -euo pipefail
cd "$(dirname "$0")/.."
out=fuzz/out
build=$out/build
mkdir -p "$build"
[ -d .build/checkouts/swift-protobuf ] || swift package resolve
protobuf=.build/checkouts/swift-protobuf/Sources/SwiftProtobuf

compile=(swiftc -swift-version 6 -O -g -parse-as-library -I "$build" -I Sources/COpenBLAS)
objects=("$build/SwiftProtobuf.o" "$build/ShoalCore.o" "$build/ShoalWire.o")
rebuilt=false

# stale TARGET [FILE_OR_DIRECTORY...]: whether TARGET is missing, older than a Swift file given, or something it
# depends on was rebuilt.
stale() {
    local target=$1
    shift
    $rebuilt || [ ! -e "$target" ] && return 0
    [ $# -gt 0 ] && [ -n "$(find "$@" -name '*.swift' -newer "$target" -print -quit)" ]
}

# module NAME SWIFTC_FLAGS... -- SOURCES...: compiles Swift files and directories to $build/NAME.{o,swiftmodule}.
module() {
    local name=$1 flags=()
    shift
    while [ "$1" != -- ]; do
        flags+=("$1")
        shift
    done
    shift
    stale "$build/$name.o" "$@" || return 0
    echo "compiling $name" >&2
    local files
    mapfile -t files < <(find "$@" -name '*.swift' | sort)
    "${compile[@]}" -wmo "${flags[@]}" "${files[@]}" \
        -module-name "$name" -emit-module -emit-module-path "$build/$name.swiftmodule" -c -o "$build/$name.o"
    touch "$build/$name.o"  # swiftc leaves an output unchanged in content untouched, which would look stale
    rebuilt=true
}

# SwiftProtobuf's own package settings: `package` access across its files, and ExistentialAny.
module SwiftProtobuf -sanitize=address -package-name swift_protobuf -enable-upcoming-feature ExistentialAny \
    -- "$protobuf"
module ShoalCore -sanitize=fuzzer,address -- Sources/ShoalCore
# Testable, so the harness can ask SwiftProtobuf about a frame without going through ShoalWire.
module ShoalWire -sanitize=fuzzer,address -enable-testing -- Sources/ShoalWire
# The harness's own edges (sorting stats, comparing arrays) would only add noise to the corpus.
module FuzzWire -sanitize=address -- fuzz/FuzzWire.swift fuzz/FuzzReceivers.swift fuzz/MessageBits.swift

# lld: the system's gold linker warns about every ASan symbol it cannot export.
if stale "$out/FuzzWire"; then
    echo "linking FuzzWire" >&2
    "${compile[@]}" -sanitize=fuzzer,address -use-ld=lld "${objects[@]}" "$build/FuzzWire.o" -o "$out/FuzzWire"
fi
# The seed writer has its own main, so it links the instrumented objects with ASan's runtime but not libFuzzer's.
if stale "$out/SeedCorpus" fuzz/SeedCorpus.swift fuzz/FuzzReceivers.swift; then
    echo "linking SeedCorpus" >&2
    "${compile[@]}" -sanitize=address -use-ld=lld -module-name SeedCorpus \
        fuzz/SeedCorpus.swift fuzz/FuzzReceivers.swift "${objects[@]}" -o "$out/SeedCorpus"
fi
