#!/usr/bin/env bash
# Model-file fuzzing, large budget: seeded mutations of a saved detector zip (entries removed, truncated, swapped;
# manifest fields; safetensors headers with the manifest's hash updated; zip-slip names; huge declared sizes and a
# decompression bomb; bit flips) through mlContext.Model.Load + scoring, with the managed bytes of each load measured;
# every cli-every-th mutation also through 'mlnetflows score'. Exit code 1 on any crash, hang or over-allocation.
# open-defects 1 also draws the mutations that reach the two open defects of the Glow loader (docs/reliability.md); each
# of those costs minutes (a 17 GB allocation), so the default leaves them out.
# Usage: bench/reliability/fuzz-models.sh [count, default 10000] [seed, default 1313] [cli-every, default 100] [open-defects, default 0]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
tiny_model "$work/glow.zip"
bench models "${1:-10000}" "${2:-1313}" "$work/glow.zip" "${3:-100}" "${4:-0}"
