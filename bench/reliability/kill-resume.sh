#!/usr/bin/env bash
# kill -9 at random moments: tiny training runs (3 epochs of 7 steps, a checkpoint every step) killed 1-4 times per
# trial, each time checked for a complete checkpoint and no premature model file, then resumed to the end and compared
# byte for byte with an uninterrupted run's weights. Exit code 1 if any trial fails.
# Usage: bench/reliability/kill-resume.sh [trials, default 50] [seed, default 9]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
bench kill "${1:-50}" "${2:-9}"
