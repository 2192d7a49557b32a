# Shared by the reliability benches: builds the reliability test assembly (which doubles as the bench program and
# carries mlnetflows.dll beside it) and trains the tiny model the fuzzers and the soak use.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/tests/MLNetFlows.Reliability.Tests/bin/Release/net10.0"
# RELIABILITY_BIN=<folder>: run a copy of the build output (so a long bench survives rebuilds of the tree); no build.
if [[ -n "${RELIABILITY_BIN:-}" ]]; then
  out="$RELIABILITY_BIN"
elif [[ "${SKIP_BUILD:-0}" != 1 ]]; then
  dotnet build "$root/tests/MLNetFlows.Reliability.Tests/MLNetFlows.Reliability.Tests.csproj" -c Release -v quiet -nologo >/dev/null
fi
bench() { dotnet "$out/MLNetFlows.Reliability.Tests.dll" "$@"; }
cli() { dotnet "$out/mlnetflows.dll" "$@"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# tiny_model <file> [extra train options]: the tests' tiny detector (L=2, K=1, 8 hidden channels, 256 images, 1 epoch).
tiny_model() {
  local file=$1; shift
  cli train glow --data fashion-mnist --limit 256 --epochs 1 --levels 2 --steps 1 --hidden 8 --batch-size 32 \
    --output "$file" --threads 1 "$@" >/dev/null 2>&1
}
