#!/usr/bin/env bash
# Glow speed benchmark, every side in one run with the same settings (threads, flushed denormals, Adamax, the same
# architecture and batch sizes): bench/MLNetFlows.Bench (ours, on TorchSharp), bench/reference/glow_bench.py (PyTorch,
# Debian's python3-torch) and, with --baseline REV, the benchmark of an earlier commit of this repository built in
# .cache/baseline/REV (e.g. the last commit before the move onto TorchSharp, with its own libtorch binding: its
# ./build.sh installs what it needs). Prints images/s per batch size, the best of each side and the ratios, and the
# achieved GFLOP/s of a training step against the machine's measured float32 matmul peak.
# Usage: bench/run-glow.sh [--baseline REV] [--levels 3 --steps 8 --hidden 128 --batch-sizes 32,64,128 --threads 2] [--quick]
#                          [--variants folded-cl-flush,...]   (ours only; our scoring and training are also timed in pieces
#                                                              on the inference workers, "-workersN")
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
baseline=""
args=()
ours=()
while [ $# -gt 0 ]; do
  case "$1" in
    --baseline) baseline=$2; shift 2 ;;
    --variants) ours+=("$1" "$2"); shift 2 ;; # our bench's execution paths only (see GlowVariant)
    *) args+=("$1"); shift ;;
  esac
done
set -- "${args[@]}"
results=$(mktemp)
trap 'rm -f "$results"' EXIT
if [ -n "$baseline" ]; then
  worktree=.cache/baseline/$baseline
  if [ ! -d "$worktree" ]; then
    git worktree add --detach "$worktree" "$baseline" >/dev/null
  fi
  (cd "$worktree" && ./build.sh >/dev/null)
  dotnet "$worktree/bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll" glow "$@" \
    | sed 's/"side":"mlnetflows"/"side":"baseline"/' | tee -a "$results"
fi
dotnet bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll glow "$@" "${ours[@]}" | tee -a "$results"
/usr/bin/python3 bench/reference/glow_bench.py "$@" | tee -a "$results"
/usr/bin/python3 - "$@" <<'PY' | tee -a "$results"
# The machine's float32 matmul peak through PyTorch (for the achieved-GFLOP/s line).
import json, sys, time, torch
threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 2
torch.set_num_threads(threads)
a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
for _ in range(3):
    a @ b
best = 0.0
for _ in range(5):
    start = time.perf_counter()
    for _ in range(10):
        a @ b
    best = max(best, 10 * 2 * 1024 ** 3 / (time.perf_counter() - start) / 1e9)
print(json.dumps({"op": "matmul_1024_gflops", "value": round(best, 1)}))
PY
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
cell = lambda b: f"{b[0]:>9.1f} img/s @{b[1]:<4} {b[2]:<14}" if b else f"{'-':>34}"
has_baseline = any(side == "baseline" for side, _ in best)
header = f"{'':8}{'MLNetFlows':>36}{'PyTorch':>36}{'vs PyTorch':>12}"
print(header + (f"{'baseline':>36}{'vs baseline':>13}" if has_baseline else ""))
for kind in ("train", "score"):
    ours, theirs, base = best.get(("mlnetflows", kind)), best.get(("pytorch", kind)), best.get(("baseline", kind))
    if ours and theirs:
        line = f"{kind:8}{cell(ours):>36}{cell(theirs):>36}{ours[0] / theirs[0]:>11.2f}x"
        if has_baseline:
            line += f"{cell(base):>36}" + (f"{ours[0] / base[0]:>12.2f}x" if base else "")
        print(line)
flops = [r for r in rows if r.get("kind") == "train_gflop_per_step"]
peak = [r["value"] for r in rows if r.get("op") == "matmul_1024_gflops"]
if flops and ("mlnetflows", "train") in best and peak:
    gflop_per_image = flops[0]["value"] / flops[0]["batch"]
    achieved = gflop_per_image * best[("mlnetflows", "train")][0]
    print(f"training step: {gflop_per_image:.3f} GFLOP/image (conv MACs x2 x3), {achieved:.1f} GFLOP/s achieved = "
          f"{100 * achieved / peak[0]:.0f}% of the measured float32 matmul peak {peak[0]:.1f} GFLOP/s")
PY
