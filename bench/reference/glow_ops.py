#!/usr/bin/python3
"""PyTorch side of the per-operation Glow scoring timings (bench/run-glow-ops.sh): the same convolution shapes as
`MLNetFlows.Bench glow-ops` printed (read from its JSON lines), each timed alone in NCHW and channels-last layout, and
the reference Glow's inference forward (bench/reference/glow_reference.py), on one thread, in thread CPU time,
with denormals flushed (as glow_bench.py).

Usage: /usr/bin/python3 bench/reference/glow_ops.py SHAPES.jsonl [--levels 3 --steps 8 --hidden 128 --batch 64]
Output: one JSON object per line, as the C# side's but with "side":"pytorch".
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glow_reference as G  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"


def emit(**fields):
    print(json.dumps({"side": "pytorch", **fields}, separators=(",", ":")), flush=True)


def cpu_microseconds(operation):
    """Median thread CPU microseconds of one call over 7 repeats of enough calls to last ~50 ms, after warm-up."""
    for _ in range(3):
        operation()
    start = time.thread_time()
    operation()
    calls = min(1000, max(1, int(0.05 / max(time.thread_time() - start, 1e-6))))
    samples = []
    for _ in range(7):
        start = time.thread_time()
        for _ in range(calls):
            operation()
        samples.append((time.thread_time() - start) * 1e6 / calls)
    return statistics.median(samples)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shapes")
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--steps", type=int, default=8)
    parser.add_argument("--hidden", type=int, default=128)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(1)
    torch.set_flush_denormal(True)  # as glow_bench.py: zero-initialised layers breed denormals
    torch.manual_seed(0)

    pixels = G.load_idx_images(DATA)[: args.batch]
    side = G.padded_side(28, args.levels)
    arch = G.GlowArchitecture(channels=1, height=side, width=side, levels=args.levels, steps_per_level=args.steps,
                              hidden_channels=args.hidden)
    for layout, memory_format in (("nchw", torch.contiguous_format), ("channels_last", torch.channels_last)):
        # Built and initialised (ActNorm's first batch) outside inference mode, as a trained model would be.
        torch.manual_seed(0)
        model = G.Glow(arch).to(memory_format=memory_format)
        model(G.prepare(pixels, 8, side, side, dequantize=True).contiguous(memory_format=memory_format))
        model.eval()
        x = G.prepare(pixels, 8, side, side, dequantize=False).contiguous(memory_format=memory_format)
        with torch.inference_mode():
            emit(op="forward", batch=args.batch, layout=layout, us=round(cpu_microseconds(lambda: model(x)), 1))

    with torch.inference_mode():
        shapes = [json.loads(line) for line in open(args.shapes) if '"op":"conv"' in line]
        seen = set()
        for s in shapes:
            key = (s["in"], s["out"], s["kernel"], s["height"], s["width"])
            if key in seen:
                continue
            seen.add(key)
            for layout, memory_format in (("channels_last", torch.channels_last), ("nchw", torch.contiguous_format)):
                x = torch.randn(args.batch, s["in"], s["height"], s["width"]).contiguous(memory_format=memory_format)
                w = (torch.randn(s["out"], s["in"], s["kernel"], s["kernel"]) * 0.05).contiguous(memory_format=memory_format)
                b = torch.zeros(s["out"])
                us = cpu_microseconds(lambda: F.conv2d(x, w, b, padding=s["kernel"] // 2))
                emit(op="conv", batch=args.batch, layout=layout, calls_per_forward=s["calls_per_forward"],
                     **{k: s[k] for k in ("in", "out", "kernel", "height", "width")}, us=round(us, 1))


if __name__ == "__main__":
    main()
