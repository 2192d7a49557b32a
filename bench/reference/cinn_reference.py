#!/usr/bin/env python3
"""Speed reference for the class-conditional INN of MLNetFlows (src/Models/Cinn), in PyTorch (Debian's python3-torch).

The same architecture and training step as `MLNetFlows.Bench cinn` (bench/MLNetFlows.Bench/Cinn/CinnBenchmark.cs):
2 levels of Haar downsampling (averages first), K x (conditional GLOW coupling -> fixed random orthogonal 1x1 mixing),
half the channels split off after the first level, the one-hot class broadcast as feature maps at every level; subnets
conv3x3 -> ReLU -> conv1x1 -> ReLU -> conv3x3 with biases, Xavier-initialised, the last layer x0.02; soft clamp
(2a/pi) atan(s/a) with a = 1.9. Training: uniform dequantisation + N(0, 0.005^2) noise, bits/dim loss, Adam (lr 1e-3,
weight decay 1e-5), gradient norm clipped at 10; scoring: log p(x | c) at the bin centres under no_grad.
Prints one JSON line like the C# bench. Usage: cinn_reference.py [--threads N] [--seconds S] [--batch B] [--blocks K]
[--hidden H] [--memory-format channels_last|contiguous]. PyTorch's best setting here is channels_last (the default:
weights and inputs in channels-last layout; measured 1.3-1.5x faster per step than contiguous NCHW on this machine).
"""
import argparse
import gzip
import json
import math
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DATA = "/usr/share/datasets/fashion-mnist/"
IMAGES = 2048
WARMUP_STEPS = 3
CLAMP = 1.9
LAST_LAYER_SCALE = 0.02


def read_idx(path, header, count):
    with gzip.open(path, "rb") as f:
        f.read(header)
        return np.frombuffer(f.read(count), dtype=np.uint8).copy()


class Subnet(nn.Module):
    def __init__(self, cin, hidden, cout):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, hidden, 3, padding=1)
        self.conv2 = nn.Conv2d(hidden, hidden, 1)
        self.conv3 = nn.Conv2d(hidden, cout, 3, padding=1)
        for conv, scale in ((self.conv1, 1.0), (self.conv2, 1.0), (self.conv3, LAST_LAYER_SCALE)):
            nn.init.xavier_uniform_(conv.weight)
            conv.weight.data.mul_(scale)
            nn.init.zeros_(conv.bias)

    def forward(self, x):
        return self.conv3(F.relu(self.conv2(F.relu(self.conv1(x)))))


class Coupling(nn.Module):
    def __init__(self, channels, cond, hidden):
        super().__init__()
        self.first = channels // 2
        self.second = channels - self.first
        self.net1 = Subnet(self.first + cond, hidden, 2 * self.second)
        self.net2 = Subnet(self.second + cond, hidden, 2 * self.first)

    @staticmethod
    def scale_shift(net, seen, c, n):
        out = net(torch.cat([seen, c], 1))
        return (2 * CLAMP / math.pi) * torch.atan(out[:, :n] / CLAMP), out[:, n:]

    def forward(self, x, c):
        x1, x2 = x[:, :self.first], x[:, self.first:]
        s2, t2 = self.scale_shift(self.net2, x2, c, self.first)
        y1 = x1 * torch.exp(s2) + t2
        s1, t1 = self.scale_shift(self.net1, y1, c, self.second)
        y2 = x2 * torch.exp(s1) + t1
        return torch.cat([y1, y2], 1), s1.sum((1, 2, 3)) + s2.sum((1, 2, 3))


class Mixing(nn.Module):
    def __init__(self, channels):
        super().__init__()
        q, _ = torch.linalg.qr(torch.randn(channels, channels))
        self.register_buffer("weight", q.contiguous())

    def forward(self, x):
        return F.conv2d(x, self.weight[:, :, None, None])  # log|det| = 0 (orthogonal)


HAAR = torch.tensor([[0.5, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, -0.5], [0.5, -0.5, -0.5, 0.5]])


def haar(x):
    n, c, h, w = x.shape
    patches = x.reshape(n, c, h // 2, 2, w // 2, 2).permute(0, 3, 5, 1, 2, 4).reshape(n, 4, -1)
    return (HAAR @ patches).reshape(n, 4 * c, h // 2, w // 2)


class ConditionalInn(nn.Module):
    def __init__(self, classes=10, levels=2, blocks=4, hidden=64):
        super().__init__()
        self.classes = classes
        self.levels = nn.ModuleList()
        channels = 1
        for level in range(levels):
            channels *= 4
            self.levels.append(nn.ModuleList(
                nn.ModuleList([Coupling(channels, classes, hidden), Mixing(channels)]) for _ in range(blocks)))
            if level < levels - 1:
                channels //= 2

    def forward(self, x, labels):
        onehot = F.one_hot(labels, self.classes).to(x.dtype)[:, :, None, None]
        logdet = torch.zeros(x.shape[0])
        logprior = torch.zeros(x.shape[0])
        h = x
        for level, blocks in enumerate(self.levels):
            h = haar(h)
            c = onehot.expand(-1, -1, h.shape[2], h.shape[3])
            for coupling, mixing in blocks:
                h, ld = coupling(h, c)
                h = mixing(h)
                logdet = logdet + ld
            if level < len(self.levels) - 1:
                keep = h.shape[1] // 2
                z, h = h[:, keep:], h[:, :keep]
            else:
                z = h
            logprior = logprior - 0.5 * (z.pow(2).flatten(1).sum(1) + z[0].numel() * math.log(2 * math.pi))
        return logprior + logdet


def bits_per_dim(log_density, dims=784):
    return (dims * math.log(256) - log_density) / (dims * math.log(2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--blocks", type=int, default=4)
    parser.add_argument("--hidden", type=int, default=64)
    parser.add_argument("--memory-format", choices=["channels_last", "contiguous"], default="channels_last")
    args = parser.parse_args()
    memory_format = torch.channels_last if args.memory_format == "channels_last" else torch.contiguous_format
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    pixels = torch.from_numpy(read_idx(DATA + "train-images-idx3-ubyte.gz", 16, IMAGES * 784).reshape(IMAGES, 1, 28, 28))
    labels = torch.from_numpy(read_idx(DATA + "train-labels-idx1-ubyte.gz", 8, IMAGES).astype(np.int64))
    model = ConditionalInn(blocks=args.blocks, hidden=args.hidden).to(memory_format=memory_format)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)

    step, start, begin = 0, None, time.perf_counter()
    while step <= WARMUP_STEPS or time.perf_counter() - begin < args.seconds:
        rows = torch.randint(0, IMAGES, (args.batch,))
        x = (pixels[rows].float() + torch.rand(args.batch, 1, 28, 28)) / 256 - 0.5
        x = (x + 0.005 * torch.randn_like(x)).contiguous(memory_format=memory_format)
        loss = bits_per_dim(model(x, labels[rows])).mean()
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 10)
        optimizer.step()
        step += 1
        if step == WARMUP_STEPS:
            start = time.perf_counter()
    train_rate = (step - WARMUP_STEPS) * args.batch / (time.perf_counter() - start)

    scored, round_, score_start = 0, 0, None
    with torch.no_grad():
        while score_start is None or time.perf_counter() - score_start < args.seconds:
            first = round_ * args.batch % (IMAGES - args.batch)
            x = ((pixels[first:first + args.batch].float() + 0.5) / 256 - 0.5).contiguous(memory_format=memory_format)
            model(x, labels[first:first + args.batch]).sum().item()
            if round_ == 0:
                score_start = time.perf_counter()
            else:
                scored += args.batch
            round_ += 1
    score_rate = scored / (time.perf_counter() - score_start)
    print(json.dumps({"model": "cinn", "impl": "pytorch", "torch": torch.__version__, "threads": args.threads, "batch": args.batch,
                      "memory_format": args.memory_format,
                      "blocks": args.blocks, "hidden": args.hidden, "train_steps": step - WARMUP_STEPS,
                      "train_images_per_s": round(train_rate, 1), "score_images_per_s": round(score_rate, 1)}))


if __name__ == "__main__":
    main()
