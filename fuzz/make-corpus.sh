#!/usr/bin/env bash
# Rewrites the seed frames in fuzz/corpus (seed-*) from fuzz/SeedCorpus.swift; entries merged in from fuzzing stay.
# Usage: fuzz/make-corpus.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fuzz/build.sh
OPENBLAS_NUM_THREADS=1 fuzz/out/SeedCorpus fuzz/corpus
