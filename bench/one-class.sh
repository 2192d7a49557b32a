#!/usr/bin/env bash
# One-class Fashion-MNIST: for each class c, train Glow on the training images of class c only and report the AUROC of
# the test images of class c (normal) against the other nine classes (anomalous), for every score.
# Usage: bench/one-class.sh [minutes per class, default 2] [extra 'mlnetflows train glow' options]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
minutes=${1:-2}
shift || true
out=$(mktemp -d)
cli="dotnet src/Cli/bin/Release/net10.0/mlnetflows.dll"
for c in 0 1 2 3 4 5 6 7 8 9; do
  $cli train glow --data "fashion-mnist:$c" --output "$out/class$c.zip" --levels 2 --steps 4 --hidden 64 --epochs 1000 \
    --max-minutes "$minutes" --validation-fraction 0.1 --threads 2 "$@" >"$out/train$c.log" 2>&1
  echo "class $c"
  $cli evaluate --model "$out/class$c.zip" --normal "fashion-mnist-test:$c" --anomalous "fashion-mnist-test:^$c" --threads 2 | sed 's/^/  /'
done
