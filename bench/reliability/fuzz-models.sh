#!/usr/bin/env bash
# Model-file fuzzing, large budget: seeded mutations of a saved detector zip (entries removed, truncated, swapped;
# manifest fields; safetensors headers with the manifest's hash updated; zip-slip names; huge declared sizes and a
# decompression bomb; bit flips) through mlContext.Model.LoadChecked + scoring, with the managed bytes of each load measured;
# every cli-every-th mutation also through 'mlnetflows score' (Glow detectors only). Exit code 1 on any crash, hang or
# over-allocation. open-defects 1 also draws the mutations the tests tame (huge architecture sizes in the manifest, a
# 64 MB decompression bomb as the weights entry).
# model-kind: glow (a detector from 'mlnetflows train glow'), cinn (a class-conditional INN) or infogan, each tiny.
# Usage: bench/reliability/fuzz-models.sh [count, default 10000] [seed, default 1313] [cli-every, default 100] [open-defects, default 1] [model-kind, default glow]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
kind="${5:-glow}"
case "$kind" in
  glow) tiny_model "$work/model.zip"; every="${3:-100}" ;;
  cinn|infogan) bench tiny-model "$kind" "$work/model.zip" >/dev/null; every=0 ;;
  *) echo "fuzz-models.sh: model-kind must be glow, cinn or infogan, got '$kind'" >&2; exit 2 ;;
esac
bench models "${1:-10000}" "${2:-1313}" "$work/model.zip" "$every" "${4:-1}"
