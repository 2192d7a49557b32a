#!/usr/bin/env bash
# Op-overhead benchmark: the binding (bench/MLNetFlows.Bench) and PyTorch (bench/reference/ops_bench.py, Debian's
# python3-torch) measured one after the other in the same run, with the same threads and denormal flushing.
# Usage: bench/run-ops.sh [--threads N] [--quick]      (called by ./build.sh bench, which builds first)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
results=$(mktemp)
trap 'rm -f "$results"' EXIT
dotnet bench/MLNetFlows.Bench/bin/Release/net10.0/MLNetFlows.Bench.dll ops "$@" >>"$results"
/usr/bin/python3 bench/reference/ops_bench.py "$@" >>"$results"
/usr/bin/python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
by = {}
for r in rows:
    by.setdefault(r["op"], {})[r["side"]] = r.get("us_per_call", r.get("value"))
print(f"{'op':<22}{'mlnetflows':>14}{'pytorch':>14}{'pytorch/ours':>14}")
for op, sides in by.items():
    ours, theirs = sides.get("mlnetflows"), sides.get("pytorch")
    unit = "GFLOP/s" if op.endswith("gflops") else "us/call"
    ratio = (ours / theirs if unit == "GFLOP/s" else theirs / ours) if ours and theirs else float("nan")
    print(f"{op:<22}{ours:>14.3f}{theirs:>14.3f}{ratio:>13.2f}x   ({unit}; ratio > 1 means MLNetFlows is faster)")
PY
