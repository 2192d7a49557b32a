#!/usr/bin/env python3
"""Speed reference for the colorization conditional INN of MLNetFlows (src/Models/Cinn), in PyTorch (Debian's python3-torch).

The same architecture and training step as `MLNetFlows.Bench colorize speed` (bench/MLNetFlows.Bench/Cinn/
ColorizationSpeedBenchmark.cs), i.e. what `mlContext.Transforms.ImageConditionalInn` trains for colorization:
x = the chroma (Cb, Cr) of 32 x 32 patches, condition = the lightness Y.
- Conditioning network (ImageConditionNetwork): per level l, h_l = avgpool2(ReLU(conv3x3(h_{l-1}))) with F feature
  channels, h_{-1} = Y / 255 - 1/2; Xavier-uniform weights, zero biases; level l's couplings see h_l (same resolution).
- Flow (ConditionalInnModel): per level, Haar downsampling (averages first), then K x (conditional GLOW coupling ->
  fixed random orthogonal 1x1 mixing); every level but the last splits off the second half of its channels as latent.
  Coupling (ConditionalGlowCoupling): y1 = x1 * e(s2(x2, c)) + t2, y2 = x2 * e(s1(y1, c)) + t1, subnets
  conv3x3 -> ReLU -> conv1x1 -> ReLU -> conv3x3 with biases on [seen half, c], Xavier-initialised, last layer x0.02,
  soft clamp (2a/pi) atan(s/a), a = 1.9.
- Training (ConditionalInnTraining): x = (chroma + U(0, 1)) / 256 - 1/2 plus N(0, 0.005^2) noise, loss = bits/dim over
  the 2 x 32 x 32 chroma values, Adam (lr 1e-3, weight decay 1e-5), gradient norm clipped at 10.
- Scoring: log p(x | c) at the bin centres under no_grad (the transformer's LogLikelihood/BitsPerDim pass).
Data: `--patches FILE` (float32 [N, 3, 32, 32]: Y, Cb, Cr in [0, 255], as written by the C# bench's --write-patches, the
training patches of the wallpaper photographs), else uniform random patches (the speed does not depend on the values).
Prints one JSON line like the C# bench.
Usage: cinn_colorization_reference.py [--threads N] [--seconds S] [--batch B] [--levels L] [--blocks K] [--hidden H]
       [--condition-features F] [--patches FILE] [--memory-format channels_last|contiguous] (channels_last, the default,
       is PyTorch's faster layout here, as for cinn_reference.py)
"""
import argparse
import json
import math
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# The flow's blocks are the class-conditional reference's (same subnet, coupling, mixing and Haar downsampling).
from cinn_reference import WARMUP_STEPS, Coupling, Mixing, Subnet, haar

SIDE = 32


class ConditionNetwork(nn.Module):
    def __init__(self, levels, condition_channels, features):
        super().__init__()
        self.convs = nn.ModuleList()
        cin = condition_channels
        for _ in range(levels):
            conv = nn.Conv2d(cin, features, 3, padding=1)
            nn.init.xavier_uniform_(conv.weight)
            nn.init.zeros_(conv.bias)
            self.convs.append(conv)
            cin = features

    def forward(self, c):
        maps = []
        h = c
        for conv in self.convs:
            h = F.avg_pool2d(F.relu(conv(h)), 2)
            maps.append(h)
        return maps


class ColorizationInn(nn.Module):
    def __init__(self, levels=3, blocks=4, hidden=64, features=16, channels=2, condition_channels=1):
        super().__init__()
        self.condition = ConditionNetwork(levels, condition_channels, features)
        self.levels = nn.ModuleList()
        for level in range(levels):
            channels *= 4
            self.levels.append(nn.ModuleList(
                nn.ModuleList([Coupling(channels, features, hidden), Mixing(channels)]) for _ in range(blocks)))
            if level < levels - 1:
                channels //= 2

    def forward(self, x, condition):
        maps = self.condition(condition)
        logdet = torch.zeros(x.shape[0])
        logprior = torch.zeros(x.shape[0])
        h = x
        for level, blocks in enumerate(self.levels):
            h = haar(h)
            for coupling, mixing in blocks:
                h, ld = coupling(h, maps[level])
                h = mixing(h)
                logdet = logdet + ld
            if level < len(self.levels) - 1:
                keep = h.shape[1] // 2
                z, h = h[:, keep:], h[:, :keep]
            else:
                z = h
            logprior = logprior - 0.5 * (z.pow(2).flatten(1).sum(1) + z[0].numel() * math.log(2 * math.pi))
        return logprior + logdet


def bits_per_dim(log_density, dims=2 * SIDE * SIDE):
    return (dims * math.log(256) - log_density) / (dims * math.log(2))


def load_patches(path):
    if path is None:
        generator = torch.Generator().manual_seed(1)
        return torch.randint(0, 256, (2048, 3, SIDE, SIDE), generator=generator).float()
    values = np.fromfile(path, dtype=np.float32)
    return torch.from_numpy(values.reshape(-1, 3, SIDE, SIDE).copy())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--levels", type=int, default=3)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--condition-features", type=int, default=16)
    parser.add_argument("--patches", default=None)
    parser.add_argument("--memory-format", choices=["channels_last", "contiguous"], default="channels_last")
    args = parser.parse_args()
    memory_format = torch.channels_last if args.memory_format == "channels_last" else torch.contiguous_format
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    patches = load_patches(args.patches)
    count = patches.shape[0]
    gray = patches[:, :1].contiguous()
    chroma = patches[:, 1:].round().contiguous()  # training keeps the chroma as bytes
    model = ColorizationInn(args.levels, args.blocks, args.hidden, args.condition_features).to(memory_format=memory_format)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)

    step, start, begin = 0, None, time.perf_counter()
    while step <= WARMUP_STEPS or time.perf_counter() - begin < args.seconds:
        rows = torch.randint(0, count, (args.batch,))
        x = (chroma[rows] + torch.rand(args.batch, 2, SIDE, SIDE)) / 256 - 0.5
        x = (x + 0.005 * torch.randn_like(x)).contiguous(memory_format=memory_format)
        c = (gray[rows] / 255 - 0.5).contiguous(memory_format=memory_format)
        loss = bits_per_dim(model(x, c)).mean()
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10)
        optimizer.step()
        step += 1
        if step == WARMUP_STEPS:
            start = time.perf_counter()
    train_rate = (step - WARMUP_STEPS) * args.batch / (time.perf_counter() - start)

    model.eval()
    scored, round_, score_start = 0, 0, None
    with torch.no_grad():
        while score_start is None or time.perf_counter() - score_start < args.seconds:
            first = round_ * args.batch % (count - args.batch)
            x = ((chroma[first:first + args.batch] + 0.5) / 256 - 0.5).contiguous(memory_format=memory_format)
            c = (gray[first:first + args.batch] / 255 - 0.5).contiguous(memory_format=memory_format)
            model(x, c).sum().item()
            if round_ == 0:
                score_start = time.perf_counter()
            else:
                scored += args.batch
            round_ += 1
    score_rate = scored / (time.perf_counter() - score_start)
    print(json.dumps({"model": "cinn-colorization", "impl": "pytorch", "torch": torch.__version__, "threads": args.threads,
                      "memory_format": args.memory_format, "batch": args.batch, "levels": args.levels, "blocks": args.blocks, "hidden": args.hidden,
                      "condition_features": args.condition_features, "patches": count,
                      "train_steps": step - WARMUP_STEPS, "train_images_per_s": round(train_rate, 1),
                      "score_images_per_s": round(score_rate, 1)}))


if __name__ == "__main__":
    main()
