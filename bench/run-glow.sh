#!/usr/bin/env bash
# Glow speed benchmark, both sides in one run with the same settings (threads, flushed denormals, Adamax, the same
# architecture and batch sizes): bench/MLNetFlows.Bench (ours) then bench/reference/glow_bench.py (PyTorch, Debian's
# python3-torch). Prints images/s per batch size, the best of each side and the ratios, and the achieved GFLOP/s of a
# training step against the machine's measured float32 matmul peak.
# Usage: bench/run-glow.sh [--levels 3 --steps 8 --hidden 128 --batch-sizes 32,64,128 --threads 2] [--quick]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
dotnet bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll glow "$@" | tee -a "$results"
/usr/bin/python3 bench/reference/glow_bench.py "$@" | tee -a "$results"
dotnet bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll ops --quick "$@" 2>/dev/null | grep matmul_1024_gflops | tee -a "$results" || true
/usr/bin/python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
best = {}
for r in rows:
    if r.get("kind") in ("train", "score"):
        key = (r["side"], r["kind"])
        if r["images_per_s"] > best.get(key, (0, 0, ""))[0]:
            best[key] = (r["images_per_s"], r["batch"], r.get("layout", ""))
print()
print("each side's best over batch sizes and variants (PyTorch: NCHW or channels-last; MLNetFlows scoring: fused or not)")
print(f"{'':8}{'MLNetFlows':>36}{'PyTorch':>36}{'ratio':>8}")
for kind in ("train", "score"):
    ours, theirs = best.get(("mlnetflows", kind)), best.get(("pytorch", kind))
    if ours and theirs:
        cell = lambda b: f"{b[0]:>9.1f} img/s @{b[1]:<4} {b[2]:<14}"
        print(f"{kind:8}{cell(ours):>36}{cell(theirs):>36}{ours[0] / theirs[0]:>7.2f}x")
flops = [r for r in rows if r.get("kind") == "train_gflop_per_step"]
peak = [r["value"] for r in rows if r.get("op") == "matmul_1024_gflops"]
if flops and ("mlnetflows", "train") in best and peak:
    gflop_per_image = flops[0]["value"] / flops[0]["batch"]
    achieved = gflop_per_image * best[("mlnetflows", "train")][0]
    print(f"training step: {gflop_per_image:.3f} GFLOP/image (conv MACs x2 x3), {achieved:.1f} GFLOP/s achieved = "
          f"{100 * achieved / peak[0]:.0f}% of the measured float32 matmul peak {peak[0]:.1f} GFLOP/s")
PY
