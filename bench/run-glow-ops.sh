#!/usr/bin/env bash
# Where Glow's scoring time goes, per operation, in libtorch 2.10 (TorchSharp) and in Debian's PyTorch 1.13, on one
# thread in thread CPU time (so other work on the machine disturbs it little): every convolution shape one inference
# forward runs, in channels-last and NCHW layout, and the whole forward. Prints a table; the JSON lines of both sides
# are kept in .cache/bench/glow-ops.jsonl.
# Usage: bench/run-glow-ops.sh [--levels 3 --steps 8 --hidden 128 --batch 64]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mkdir -p .cache/bench
results=.cache/bench/glow-ops.jsonl
dotnet bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll glow-ops --threads 1 "$@" > "$results"
/usr/bin/python3 bench/reference/glow_ops.py "$results" "$@" >> "$results"
/usr/bin/python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")]
convs = {}
for r in rows:
    if r["op"] == "conv":
        key = (r["in"], r["out"], r["kernel"], r["height"], r["width"])
        convs.setdefault(key, {"calls": r["calls_per_forward"]})[(r["side"], r["layout"])] = r["us"]
forward = {(r["side"], r.get("layout", "channels_last")): r["us"] for r in rows if r["op"] == "forward"}
print(f"{'convolution (in→out, k, h×w)':<30}{'calls':>6}{'ours CL µs':>12}{'ours NCHW':>11}{'1.13 CL':>10}{'1.13 NCHW':>11}{'ours/1.13':>11}")
total = {"mlnetflows": 0.0, "pytorch": 0.0}
for key, t in sorted(convs.items(), key=lambda kv: -kv[1][("mlnetflows", "channels_last")] * kv[1]["calls"]):
    ours, theirs = t[("mlnetflows", "channels_last")], min(t[("pytorch", "channels_last")], t[("pytorch", "nchw")])
    total["mlnetflows"] += ours * t["calls"]
    total["pytorch"] += theirs * t["calls"]
    name = f"{key[0]}→{key[1]}, {key[2]}×{key[2]}, {key[3]}×{key[4]}"
    print(f"{name:<30}{t['calls']:>6}{ours:>12.1f}{t[('mlnetflows', 'nchw')]:>11.1f}{t[('pytorch', 'channels_last')]:>10.1f}{t[('pytorch', 'nchw')]:>11.1f}{ours / theirs:>11.2f}")
ours_forward = forward[("mlnetflows", "channels_last")]
theirs_forward = min(v for (side, _), v in forward.items() if side == "pytorch")
print(f"\nall convolutions of one forward: ours {total['mlnetflows'] / 1e3:.1f} ms, PyTorch 1.13 {total['pytorch'] / 1e3:.1f} ms (each at its best layout)")
print(f"whole forward: ours {ours_forward / 1e3:.1f} ms, PyTorch 1.13 {theirs_forward / 1e3:.1f} ms (best layout); ours/PyTorch {ours_forward / theirs_forward:.2f}")
print(f"outside convolutions (element-wise, reductions, calls): ours {(ours_forward - total['mlnetflows']) / 1e3:.1f} ms, PyTorch {(theirs_forward - total['pytorch']) / 1e3:.1f} ms")
PY
