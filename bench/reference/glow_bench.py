#!/usr/bin/python3
"""PyTorch side of the MLNetFlows Glow benchmark: training and scoring throughput of the reference Glow
(bench/reference/glow_reference.py, a 1:1 mirror of the C# GlowModel) on Fashion-MNIST.

Usage (from the repo root; Debian's python3-torch, libtorch 1.13):
  /usr/bin/python3 bench/reference/glow_bench.py [--levels 3 --steps 8 --hidden 128 --threads 2
      --batch-sizes 32,64,128] [--quick]
  default run < 3 min on 2 cores for the default sizes; --quick < 40 s (fewer timed steps and repeats; the output
  lines say so with "quick": true and the step/repeat counts).

Settings: torch.set_num_threads(threads), torch.set_flush_denormal(True), torch.manual_seed(0); 28x28 images padded to
the next multiple of 2^L (32x32 for L = 3); 8 bits; Adamax(lr=1e-3) (the trainer's default optimizer; the trainer's
linear warm-up only changes the learning rate, not the cost of a step).

Per batch size B and memory layout (NCHW, channels-last; a fresh model seeded with 0 for each, so all start from the
same weights):
  train  one step = gather B random training images (uint8 index_select) -> float -> prepare with uniform
         dequantisation noise -> forward (log p) -> loss = mean bits/dim -> zero_grad -> backward -> Adamax step.
         W warm-up steps first (the first one runs the ActNorm data-dependent initialisation), then R timed repeats
         of S steps each; images/s = B * S / median(repeat seconds).
  score  model.eval() under torch.inference_mode(): forward only on a batch prepared beforehand without noise (bin
         centres); same warm-up / repeat scheme.

Output on stdout, one JSON object per line:
  {"side":"pytorch","kind":"train"|"score","batch":B,"layout":"nchw"|"channels_last","images_per_s":...,  ...settings...}
  {"side":"pytorch","kind":"train_gflop_per_step","batch":B_best,"value":...}
      analytic conv FLOPs of one training step at the batch size with the best training throughput:
      2 * conv MACs per image (glow_reference.conv_macs_per_image: the 3 coupling convs and the invertible 1x1 conv of
      every step, and the split priors' convs) * B * 3 (forward + backward ~ 3x forward), / 1e9.
  {"side":"pytorch","kind":"train_gflop_per_s","batch":B_best,"value":...}   the above / seconds per step (derived)
A summary of the settings goes to stderr.
"""

import argparse
import json
import os
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glow_reference as G  # noqa: E402

DATA = "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"
BITS = 8
# Memory layouts tried for every batch size: model and inputs NCHW (PyTorch's default) or channels-last (NHWC, which
# lets oneDNN skip its layout conversions); the best of all is PyTorch's figure.
LAYOUTS = {"nchw": torch.contiguous_format, "channels_last": torch.channels_last}
# (warm-up steps, timed repeats, steps per repeat) for (default, quick)
PLAN = {"train": ((3, 7, 5), (2, 3, 2)), "score": ((2, 7, 10), (1, 3, 4))}


def emit(obj):
    print(json.dumps(obj, separators=(",", ":")), flush=True)


def timed(step, warmup, repeats, steps):
    """Median seconds of `steps` calls of step() over `repeats` repeats, after `warmup` calls."""
    for _ in range(warmup):
        step()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(steps):
            step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--steps", type=int, default=8, help="steps of flow per level K")
    parser.add_argument("--hidden", type=int, default=128, help="hidden channels of the coupling networks")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch-sizes", default="32,64,128")
    parser.add_argument("--quick", action="store_true", help="fewer timed steps and repeats; run < 40 s")
    parser.add_argument("--data", default=DATA, help="idx3-ubyte(.gz) training images")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.set_flush_denormal(True)
    torch.manual_seed(0)
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b]
    plan = {kind: p[1] if args.quick else p[0] for kind, p in PLAN.items()}

    t0 = time.perf_counter()
    pixels = G.load_idx_images(args.data)  # uint8 [60000, 1, 28, 28]
    n_images, channels, height, width = pixels.shape
    side_h, side_w = G.padded_side(height, args.levels), G.padded_side(width, args.levels)
    arch = G.GlowArchitecture(channels=channels, height=side_h, width=side_w, levels=args.levels,
                              steps_per_level=args.steps, hidden_channels=args.hidden)
    reported = channels * height * width
    settings = {"levels": args.levels, "steps": args.steps, "hidden": args.hidden, "threads": torch.get_num_threads(),
                "quick": args.quick}
    print(f"# torch {torch.__version__}, threads {torch.get_num_threads()}, quick={args.quick}, {n_images} images "
          f"{height}x{width} -> {side_h}x{side_w}, L={args.levels} K={args.steps} hidden={args.hidden}, "
          f"plan (warmup, repeats, steps) = {plan}, data loaded in {time.perf_counter() - t0:.1f} s",
          file=sys.stderr, flush=True)

    train_rate = {}
    for batch, layout in ((b, f) for b in batch_sizes for f in LAYOUTS):
        memory_format = LAYOUTS[layout]
        torch.manual_seed(0)
        model = G.Glow(arch).to(memory_format=memory_format)
        model.train()
        optimizer = torch.optim.Adamax(model.parameters(), lr=1e-3)
        losses = []

        def train_step():
            indices = torch.randint(0, n_images, (batch,))
            x = G.prepare(pixels.index_select(0, indices), BITS, side_h, side_w, dequantize=True).contiguous(
                memory_format=memory_format)
            loss = G.bits_per_dim(model(x)[0], arch.dimensions, reported, BITS).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            losses.append(loss.item())

        warmup, repeats, steps = plan["train"]
        seconds = timed(train_step, warmup, repeats, steps)
        train_rate[(batch, layout)] = (batch * steps / seconds, seconds / steps)
        emit({"side": "pytorch", "kind": "train", "batch": batch, "layout": layout, "images_per_s": batch * steps / seconds,
              **settings, "warmup": warmup, "repeats": repeats, "timed_steps": steps})
        print(f"#   train B={batch} {layout}: {seconds / steps:.3f} s/step, loss {losses[0]:.3f} -> {losses[-1]:.3f} bits/dim",
              file=sys.stderr, flush=True)

        model.eval()
        x_score = G.prepare(pixels[:batch], BITS, side_h, side_w, dequantize=False).contiguous(memory_format=memory_format)

        def score_step():
            with torch.inference_mode():
                model(x_score)

        warmup, repeats, steps = plan["score"]
        seconds = timed(score_step, warmup, repeats, steps)
        emit({"side": "pytorch", "kind": "score", "batch": batch, "layout": layout, "images_per_s": batch * steps / seconds,
              **settings, "warmup": warmup, "repeats": repeats, "timed_steps": steps})
        del model, optimizer

    best = max(train_rate, key=lambda k: train_rate[k][0])
    gflop = 2 * G.conv_macs_per_image(arch) * best[0] * 3 / 1e9
    emit({"side": "pytorch", "kind": "train_gflop_per_step", "batch": best[0], "value": gflop, **settings})
    emit({"side": "pytorch", "kind": "train_gflop_per_s", "batch": best[0], "layout": best[1],
          "value": gflop / train_rate[best][1], **settings})
    print(f"# total {time.perf_counter() - t0:.1f} s", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
