#!/usr/bin/python3
"""PyTorch side of the MLNetFlows op-overhead benchmark.

Times a few ops with plain PyTorch (Debian's python3-torch, libtorch 1.13) so the C# binding's per-call overhead can be
compared against it. Each op gets a warm-up, then R timed repeats of a loop of `calls` calls (time.perf_counter); the
reported us_per_call is the median over the repeats of (repeat time / calls).

Usage (from the repo root): /usr/bin/python3 bench/reference/ops_bench.py --threads 2 [--quick]
  --quick: fewer calls/repeats, whole run < 10 s; default run < 60 s.

Output on stdout, one JSON object per line:
  {"side":"pytorch","op":"<name>","us_per_call":<float>,"calls":<int>}   (calls = calls per timed repeat)
  {"side":"pytorch","op":"matmul_1024_gflops","value":<float>}          (2*1024^3 / median seconds per matmul / 1e9)
A one-line summary of the settings goes to stderr.

Ops:
  conv2d_fwd_bwd  x [64,64,16,16] requires_grad, Conv2d(64, 64, 3, padding=1, bias=True); per call: x.grad and the
                  parameters' .grad set to None (as an optimizer loop would), y = conv(x), y.sum().backward()
  matmul_1024     a @ b, a and b [1024,1024] float32
  add_1           a + b on two [1] tensors (per-call overhead of a tiny op)
  add_1_inplace   a.add_(b) on [1] tensors
"""

import argparse
import json
import statistics
import sys
import time

import torch

# op -> (calls per repeat, timed repeats, warm-up calls) for (default, quick)
PLAN = {
    "conv2d_fwd_bwd": ((20, 7, 5), (5, 3, 2)),
    "matmul_1024": ((20, 7, 3), (5, 3, 2)),
    "add_1": ((200_000, 7, 20_000), (50_000, 3, 5_000)),
    "add_1_inplace": ((200_000, 7, 20_000), (50_000, 3, 5_000)),
}


def measure(step, calls, repeats, warmup):
    """Returns the median seconds per call of `step` over `repeats` timed loops of `calls` calls."""
    for _ in range(warmup):
        step()
    per_call = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            step()
        per_call.append((time.perf_counter() - start) / calls)
    return statistics.median(per_call)


def emit(obj):
    print(json.dumps(obj, separators=(",", ":")), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--quick", action="store_true", help="fewer repetitions; whole run < 10 s")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    plan = {op: p[1] if args.quick else p[0] for op, p in PLAN.items()}
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, quick={args.quick}, "
          f"plan (calls, repeats, warmup) = {plan}", file=sys.stderr, flush=True)

    # conv2d forward + backward
    conv = torch.nn.Conv2d(64, 64, kernel_size=3, padding=1, bias=True)
    x = torch.randn(64, 64, 16, 16, requires_grad=True)
    params = list(conv.parameters())

    def conv_step():
        x.grad = None
        for p in params:
            p.grad = None
        y = conv(x)
        y.sum().backward()

    # matmul
    ma, mb = torch.randn(1024, 1024), torch.randn(1024, 1024)

    def matmul_step():
        ma @ mb

    # tiny adds
    a1, b1 = torch.randn(1), torch.randn(1)

    def add_step():
        a1 + b1

    c1 = torch.randn(1)

    def add_inplace_step():
        c1.add_(b1)

    results = {}
    for op, step in (("conv2d_fwd_bwd", conv_step), ("matmul_1024", matmul_step), ("add_1", add_step),
                     ("add_1_inplace", add_inplace_step)):
        calls, repeats, warmup = plan[op]
        seconds = measure(step, calls, repeats, warmup)
        results[op] = seconds
        emit({"side": "pytorch", "op": op, "us_per_call": seconds * 1e6, "calls": calls})

    emit({"side": "pytorch", "op": "matmul_1024_gflops", "value": 2 * 1024 ** 3 / results["matmul_1024"] / 1e9})


if __name__ == "__main__":
    main()
