#!/usr/bin/env bash
# Builds the wire fuzzer fuzz/out/FuzzWire (libFuzzer + AddressSanitizer) and the seed writer fuzz/out/SeedCorpus.
# Usage: fuzz/build.sh
#
# swiftc is driven directly because SwiftPM can only sanitise every target of a build, and a fuzz target would need
# an entry in Package.swift. SwiftProtobuf, ShoalCore and ShoalWire are each compiled to one object and module under
# fuzz/out/build; a module is rebuilt when its sources or a module it imports changed. Every module is instrumented:
# coverage of SwiftProtobuf's decoder is what guides libFuzzer into well-formed frames, and ASan checks the unsafe
# block copies in ShoalWire and ShoalCore.
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

# stale TARGET FILE_OR_DIRECTORY...: whether TARGET is missing, older than a Swift file given, or a module was rebuilt.
stale() {
    local target=$1
    shift
    $rebuilt || [ ! -e "$target" ] || [ -n "$(find "$@" -name '*.swift' -newer "$target" -print -quit)" ]
}

# module NAME SOURCE_DIRECTORY [SWIFTC_FLAGS...]: compiles a directory of Swift files to $build/NAME.{o,swiftmodule}.
module() {
    local name=$1 sources=$2
    shift 2
    stale "$build/$name.o" "$sources" || return 0
    echo "compiling $name" >&2
    local files
    mapfile -t files < <(find "$sources" -name '*.swift' | sort)
    "${compile[@]}" -sanitize=fuzzer,address -wmo "$@" "${files[@]}" \
        -module-name "$name" -emit-module -emit-module-path "$build/$name.swiftmodule" -c -o "$build/$name.o"
    touch "$build/$name.o"  # swiftc leaves an output unchanged in content untouched, which would look stale
    rebuilt=true
}

# SwiftProtobuf's own package settings: `package` access across its files, and ExistentialAny.
module SwiftProtobuf "$protobuf" -package-name swift_protobuf -enable-upcoming-feature ExistentialAny
module ShoalCore Sources/ShoalCore
module ShoalWire Sources/ShoalWire

# lld: the system's gold linker warns about every ASan symbol it cannot export.
if stale "$out/FuzzWire" fuzz/FuzzWire.swift fuzz/FuzzReceivers.swift fuzz/MessageBits.swift; then
    echo "linking FuzzWire" >&2
    "${compile[@]}" -sanitize=fuzzer,address -use-ld=lld -module-name FuzzWire \
        fuzz/FuzzWire.swift fuzz/FuzzReceivers.swift fuzz/MessageBits.swift "${objects[@]}" -o "$out/FuzzWire"
fi
# The seed writer has its own main, so it links the instrumented objects with ASan's runtime but not libFuzzer's.
if stale "$out/SeedCorpus" fuzz/SeedCorpus.swift fuzz/FuzzReceivers.swift; then
    echo "linking SeedCorpus" >&2
    "${compile[@]}" -sanitize=address -use-ld=lld -module-name SeedCorpus \
        fuzz/SeedCorpus.swift fuzz/FuzzReceivers.swift "${objects[@]}" -o "$out/SeedCorpus"
fi
