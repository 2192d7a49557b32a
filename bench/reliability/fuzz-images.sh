#!/usr/bin/env bash
# Image fuzzing, large budget: seeded mutations (bit flips, checksummed data flips, truncation, chunk duplication,
# header fields, length fields, decompression-bomb headers) of the valid PNG/JPEG corpus, read through LoadImagesSafely
# and the CLI's pipeline with a 10 s per-file limit, then the same folder through 'mlnetflows score'. Every file must be
# scored or reported by path and reason; exit code 1 on any crash or hang.
# Usage: bench/reliability/fuzz-images.sh [count, default 10000] [seed, default 20261129]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
tiny_model "$work/glow.zip"
bench images "${1:-10000}" "${2:-20261129}" "$work/glow.zip"
