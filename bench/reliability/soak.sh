#!/usr/bin/env bash
# Soak: scores the Fashion-MNIST test set with a small detector (L=2, K=4, 32 hidden channels, 2 epochs on 2 000
# images) in a loop for N minutes, sampling the process's RSS and TorchSharp's live-tensor count every
# 10 s; prints the series and first/last/max. Exit code 1 unless both are flat after warm-up (RSS within ±5 %).
# Usage: bench/reliability/soak.sh [minutes, default 30] [libtorch threads, default all cores]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
cli train glow --data fashion-mnist --limit 2000 --epochs 2 --levels 2 --steps 4 --hidden 32 --batch-size 64 \
  --output "$work/glow.zip" --threads 1 >/dev/null 2>&1
bench soak "${1:-30}" "$work/glow.zip" "${2:-$(nproc)}"
